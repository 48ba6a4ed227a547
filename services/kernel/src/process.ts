import cluster from 'node:cluster';
import net from 'node:net';
import { createLogger } from './logger';

/**
 * A start that cannot go on for a reason outside the code (a port taken, the database
 * unreachable, a data file unusable). Its message is the one line the operator reads: it
 * names the address or file, never a password.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** What a started process must undo on the way out. */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface RunProcessOptions {
  /** How long one stop may take before the process exits anyway (default 10 s). */
  stopBoundMs?: number;
}

/** Below Docker's default 10 s between SIGTERM and SIGKILL, with room to exit. */
const DEFAULT_STOP_BOUND_MS = 9_000;

/**
 * The one place every entry point (`npm start`, the gateway, each service) goes through, so
 * they all behave alike:
 * - a start that fails prints ONE line on stderr (no stack unless LOG_LEVEL=debug) and exits 1;
 * - SIGINT/SIGTERM stop once, within a bound, then exit 0. The listeners stay registered
 *   (`on`, not `once`): Apollo Server stops itself on the signal and then re-raises it, and a
 *   re-raised signal finding no listener kills the process before our own stop ends;
 * - an unhandled promise rejection is logged with its error and the process keeps serving:
 *   one failed promise is one failed request, not a reason to drop every other connection;
 * - an uncaught exception is logged fatal, then the same bounded stop and exit code 1: Node's
 *   state is undefined after one, so serving on is not safe.
 */
export function runProcess(name: string, start: () => Promise<Stoppable>, options: RunProcessOptions = {}): void {
  const logger = createLogger(name, levelFromEnvironment());
  const stopBoundMs = options.stopBoundMs ?? DEFAULT_STOP_BOUND_MS;
  let exiting = false;

  const started: Promise<Stoppable | null> = start().catch((err) => {
    process.stderr.write(`${name} failed to start: ${redactPasswords(oneLine(err))}\n`);
    if (isDebug()) process.stderr.write(`${stackOf(err)}\n`);
    process.exit(1);
  });

  const stopThenExit = (code: number) => {
    if (exiting) return;
    exiting = true;
    // a signal during the start waits for it (within the bound): no half-applied migration
    const stopped = started.then((running) => running?.stop());
    const timedOut = new Promise<'timeout'>((resolve) => setTimeout(resolve, stopBoundMs, 'timeout').unref());
    Promise.race([stopped, timedOut]).then(
      (outcome) => {
        if (outcome === 'timeout') logger.error({ stopBoundMs }, 'stop took longer than its bound; exiting anyway');
        process.exit(outcome === 'timeout' ? 1 : code);
      },
      (err) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };

  process.on('SIGINT', () => stopThenExit(0));
  process.on('SIGTERM', () => stopThenExit(0));
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection; still serving');
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception; stopping');
    stopThenExit(1);
  });
}

/** One port a process is about to listen on, and what for (named in the error). */
export interface PlannedPort {
  port: number;
  what: string;
}

/**
 * Checks that each port can be bound, before anything else starts: a second start while the
 * first still runs stops here with one line, before it opens (or migrates) any database.
 * Port 0 (any free port) is skipped. The real listen comes later; this is a check, not a lock.
 */
export async function assertPortsFree(host: string, ports: PlannedPort[]): Promise<void> {
  for (const { port, what } of ports) {
    if (port === 0) continue;
    const probe = net.createServer();
    await listen(probe, port, host, what);
    await new Promise((resolve) => probe.close(resolve));
  }
}

/**
 * `server.listen` that rejects with a one-line StartupError (EADDRINUSE, EACCES, a bad HOST)
 * instead of leaving an 'error' event nobody listens to, which would crash the process.
 */
export function listen(server: net.Server, port: number, host: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'EADDRINUSE' ? 'the address is already in use' : err.code === 'EACCES' ? 'permission denied' : (err.code ?? err.message);
      reject(new StartupError(`cannot listen on ${host}:${port} (${what}): ${reason}`, { cause: err }));
    };
    server.once('error', fail);
    // exclusive: a port already bound fails here; under node:cluster the workers share the
    // primary's socket instead (several gateway processes behind one port: bench/cluster.js)
    server.listen({ port, host, exclusive: !cluster.isWorker }, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/** `mysql://user:secret@host` → `mysql://user:***@host`, anywhere in a text. */
export function redactPasswords(text: string): string {
  return text.replace(/\/\/([^/:@\s]*):[^@\s]*@/g, '//$1:***@');
}

function oneLine(err: unknown): string {
  if (err instanceof StartupError) return err.message;
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : err.name + ': '}${err.message}` : String(err);
  return text.split('\n')[0];
}

function stackOf(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  const own = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return cause ? `${own}\ncaused by: ${stackOf(cause)}` : own;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The configured level if valid; the configuration check reports a bad one itself. */
function levelFromEnvironment(): string {
  const level = process.env.LOG_LEVEL;
  return level && LEVELS.includes(level) ? level : 'info';
}

function isDebug(): boolean {
  return ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
}
