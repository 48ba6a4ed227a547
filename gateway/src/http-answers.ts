import http from 'node:http';

/** Error codes the gateway answers outside GraphQL execution (API.md, "Error codes"). */
export type HttpErrorCode = 'BAD_REQUEST' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'RATE_LIMITED' | 'INTERNAL_SERVER_ERROR';

/** A JSON error in the GraphQL-over-HTTP shape, so clients read every refusal the same way. */
export function sendError(res: http.ServerResponse, status: number, code: HttpErrorCode, message: string, headers: http.OutgoingHttpHeaders = {}) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * Refuses a request whose body is still arriving: the answer is sent, the rest of the body is
 * read and dropped (bounded) so the client can read the answer, then the connection is closed.
 */
export function refuseWithBody(req: http.IncomingMessage, res: http.ServerResponse, status: number, code: HttpErrorCode, message: string) {
  res.shouldKeepAlive = false;
  sendError(res, status, code, message);
  let dropped = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > 16 * 1024 * 1024) req.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
  res.once('finish', () => setTimeout(() => req.destroy(), 1000).unref());
}

/**
 * Runs an async route handler: whatever it throws is logged and answered 500 (or the
 * connection closed when the answer had started), never left as an unhandled rejection.
 */
export function guarded(res: http.ServerResponse, onError: (err: unknown) => void, handler: () => Promise<void> | void): void {
  const fail = (err: unknown) => {
    onError(err);
    if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    else res.destroy();
  };
  try {
    const result = handler();
    if (result) result.catch(fail);
  } catch (err) {
    fail(err);
  }
}
