import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs, one line per event. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { service: name } });
}
