import { currentRequestId, Logger, scrubLogFields } from '@cascade/kernel';
import { Attributes, Logger as HiveLogger, LogLevel, LogWriter } from '@graphql-hive/logger';

/**
 * Hive Gateway's own log lines, written through the gateway's pino logger: the same JSON
 * lines as every other process (time, level, service, msg, requestId), secrets removed by the
 * same rules (kernel log-scrub.ts). Its default writer printed multi-line coloured text with
 * each failed subgraph request's body, variables and all; a password was seen in it.
 */
class PinoWriter implements LogWriter {
  constructor(private readonly logger: Logger) {}

  write(level: LogLevel, attrs: Attributes | null | undefined, msg: string | null | undefined): void {
    const fields = (Array.isArray(attrs) ? { attrs } : { ...(attrs ?? {}) }) as Record<string, unknown>;
    // the runtime names the request itself (requestId, from x-request-id); once per line is enough
    if (fields.requestId === currentRequestId()) delete fields.requestId;
    // an error logged on its own: its message is the line's
    let text = msg ?? '';
    if (!text && typeof fields.message === 'string') {
      text = fields.message;
      delete fields.message;
    }
    this.logger[level](scrubLogFields(fields) as object, text);
  }
}

const HIVE_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/**
 * The runtime's logger at the gateway's level, but never below `info`: its debug and trace
 * lines are made to show request bodies, headers, variables and subgraph results
 * (useFetchDebug, useSubgraphExecuteDebug), which no log may carry. LOG_LEVEL=debug still
 * turns on Cascade's own debug lines.
 */
export function hiveLogger(logger: Logger): HiveLogger {
  const level = logger.level;
  if (level === 'silent') return new HiveLogger({ level: false, writers: [new PinoWriter(logger)] });
  const hiveLevel: LogLevel = level === 'fatal' ? 'error' : HIVE_LEVELS.indexOf(level as LogLevel) < HIVE_LEVELS.indexOf('info') ? 'info' : (level as LogLevel);
  return new HiveLogger({ level: hiveLevel, writers: [new PinoWriter(logger)] });
}
