import pino from 'pino';
import { scrubLogFields } from './log-scrub';
import { currentRequestId } from './request-id';

export type Logger = pino.Logger;

/**
 * JSON logs, one object per line: `time` (ISO 8601), `level` (its name), `service`, `msg`,
 * `requestId` when written while serving a request (request-id.ts), then the line's own
 * fields with secrets removed (log-scrub.ts: variables, documents, bodies, headers, tokens,
 * passwords), so no caller has to remember to.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // errors are already reduced to name, message, code, stack and cause by scrubLogFields
    serializers: { err: (err: unknown) => err },
    formatters: {
      level: (label) => ({ level: label }),
      log: (fields) => scrubLogFields(fields) as Record<string, unknown>,
    },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  });
}
