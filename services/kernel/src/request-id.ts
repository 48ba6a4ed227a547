import type { Span } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header that names a request on every hop: client → gateway → subgraphs, and back. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A client's id is kept when it is short and plain (a UUID, a ULID, `web-1234:7`): it is
 * written on log lines and sent on to every subgraph, so anything longer or with other
 * characters (spaces, quotes, newlines, `=`) is replaced by a fresh UUID rather than trusted.
 */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id a request goes by: the caller's when well-formed, else a new one. */
export function requestIdOf(header: string | string[] | null | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && WELL_FORMED.test(value) ? value : randomUUID();
}

interface RequestScope {
  requestId: string;
  /** The subgraph's span of this request, when tracing is on: calls made for it continue the trace. */
  span?: Span;
}

const scope = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `fn` as part of the request `requestId`: every log line written from it (and from the
 * promises it starts) carries the id (logger.ts), and calls to other subgraphs forward it
 * (internal-client.ts), without passing it through every function.
 */
export function withRequestId<T>(requestId: string, fn: () => T, span?: Span): T {
  return scope.run({ requestId, span }, fn);
}

/** The id of the request being served here, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** The span of the request being served here, if traced. */
export function currentRequestSpan(): Span | undefined {
  return scope.getStore()?.span;
}
