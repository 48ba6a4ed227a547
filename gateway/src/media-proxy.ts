import { Config } from '@cascade/kernel';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { refuseWithBody, sendError } from './http-answers';

/** Request headers not forwarded: hop-by-hop ones, and credentials the media URLs do not use. */
const DROPPED = new Set(['connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'upgrade', 'host', 'authorization', 'cookie', 'x-cascade-context']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/** The upload body limit: the largest per-kind media limit (the /graphql limit does not apply). */
export function mediaBodyLimit(config: Config): number {
  return Math.max(config.MEDIA_MAX_IMAGE_BYTES, config.MEDIA_MAX_VIDEO_BYTES, config.MEDIA_MAX_DOCUMENT_BYTES);
}

/**
 * `/media/*` on the public address, streamed to and from the media service: uploads
 * (PUT /media/upload/<token>) and downloads (GET /media/download/<token>). The media service
 * checks the signed URLs itself; here only the body limit applies, on Content-Length and
 * on the bytes actually forwarded.
 */
export function proxyMedia(req: http.IncomingMessage, res: http.ServerResponse, options: { target: string; maxBodyBytes: number; idleTimeoutMs: number }): void {
  // an upload may take long, but not sit silent: a stalled transfer is cut (the media service
  // sees the upload interrupted and keeps nothing of it)
  const socket = req.socket;
  const stalled = () => {
    if (!res.headersSent) sendError(res, 408, 'BAD_REQUEST', `Nothing received for ${options.idleTimeoutMs / 1000} s`);
    res.shouldKeepAlive = false;
    upstream.destroy(); // the media service sees the upload interrupted at once
    setImmediate(() => socket.destroy());
  };
  socket.on('timeout', stalled).setTimeout(options.idleTimeoutMs);
  res.once('close', () => socket.off('timeout', stalled).setTimeout(0));
  const declared = req.headers['content-length'];
  if (declared !== undefined && !(Number(declared) <= options.maxBodyBytes)) {
    return refuseWithBody(req, res, 413, 'BAD_USER_INPUT', `Upload larger than ${options.maxBodyBytes} bytes`);
  }
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (!DROPPED.has(name) && value !== undefined) headers[name] = value;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';

  const upstream = http.request(new URL(req.url ?? '/', options.target), { method: req.method, headers }, (answer) => {
    const out: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
    res.writeHead(answer.statusCode ?? 502, out);
    pipeline(answer, res).catch(() => undefined);
  });
  upstream.on('error', () => {
    if (!res.headersSent) sendError(res, 502, 'INTERNAL_SERVER_ERROR', 'The media service did not answer');
    else res.destroy();
  });
  // a client that goes away mid-transfer: the media service sees the upload interrupted
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  let forwarded = 0;
  req.on('data', (chunk: Buffer) => {
    forwarded += chunk.length;
    if (forwarded > options.maxBodyBytes) {
      req.unpipe(upstream);
      upstream.destroy();
      refuseWithBody(req, res, 413, 'BAD_USER_INPUT', `Upload larger than ${options.maxBodyBytes} bytes`);
    }
  });
  req.pipe(upstream);
}
