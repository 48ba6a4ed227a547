import http from 'node:http';
import { refuseWithBody } from './http-answers';

/**
 * Reads a request body of at most `maxBytes` into memory, whether it comes with a
 * Content-Length or chunked: a declared length over the limit is refused before a byte is
 * read, a chunked body the moment it passes the limit (413, BAD_USER_INPUT), a body not
 * complete within `deadlineMs` with 408 (BAD_REQUEST). Resolves null
 * when the request was refused or went away (the answer, if any, has been sent).
 */
export function readBoundedBody(req: http.IncomingMessage, res: http.ServerResponse, maxBytes: number, deadlineMs: number): Promise<Buffer | null> {
  const tooLarge = () => refuseWithBody(req, res, 413, 'BAD_USER_INPUT', `Request body larger than ${maxBytes} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
    tooLarge();
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    // a body trickled in slowly holds a connection and its buffer: it has a deadline
    const timer = setTimeout(() => {
      stop(null);
      refuseWithBody(req, res, 408, 'BAD_REQUEST', `Request body not received within ${deadlineMs / 1000} s`);
    }, deadlineMs);
    const stop = (result: Buffer | null) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        stop(null);
        tooLarge();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => stop(Buffer.concat(chunks, received));
    const onGone = () => stop(null);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}
