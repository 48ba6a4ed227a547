import { verifyToken } from '@cascade/kernel';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ScreenLinkStatus } from './screen-links';

/**
 * `/screen/<token>`: the big-screen page, and `/screen/assets/*`: its script and style,
 * built by the project (gateway/screen) and served from this process, nothing external.
 * A token that is not a valid, active screen link gets the "link not valid" page (404)
 * with no data in it.
 */
const ROOT = path.resolve(__dirname, '../screen');
// the page's modules (gateway/screen/src, one per concern), each imported by name from app.js
const SCREEN_MODULES = ['app', 'activity', 'board', 'fit', 'labels', 'live', 'screen', 'sync', 'tiles'];
// a Map, not an object literal: `constructor` or `__proto__` must not name an asset
const ASSETS = new Map<string, { file: string; type: string }>([
  ...SCREEN_MODULES.map((name): [string, { file: string; type: string }] => [`${name}.js`, { file: `dist/${name}.js`, type: 'text/javascript; charset=utf-8' }]),
  ['screen.css', { file: 'static/screen.css', type: 'text/css; charset=utf-8' }],
]);

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

const cache = new Map<string, { body: Buffer; etag: string }>();
function load(file: string) {
  let entry = cache.get(file);
  if (!entry) {
    const body = readFileSync(path.join(ROOT, file));
    entry = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
    cache.set(file, entry);
  }
  return entry;
}

/** `rest`: the raw path after `/screen/` (a token, or `assets/<name>`); neither needs decoding. */
export async function serveScreen(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  rest: string,
  options: { jwtSecret: string; screens: ScreenLinkStatus },
): Promise<void> {
  if (rest.startsWith('assets/')) {
    const asset = ASSETS.get(rest.slice('assets/'.length));
    if (!asset) return send(res, 404, 'text/plain; charset=utf-8', Buffer.from('Not found'), 'no-store');
    const { body, etag } = load(asset.file);
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, ...SECURITY_HEADERS });
      res.end();
      return;
    }
    return send(res, 200, asset.type, body, 'public, max-age=3600, must-revalidate', etag);
  }
  let valid = false;
  try {
    const { claims } = await verifyToken(rest, options.jwtSecret);
    valid = !!claims.screen && (await options.screens.isActive(claims));
  } catch {
    valid = false;
  }
  const page = load(valid ? 'static/index.html' : 'static/invalid.html');
  send(res, valid ? 200 : 404, 'text/html; charset=utf-8', page.body, 'no-store');
}

function send(res: http.ServerResponse, status: number, type: string, body: Buffer, cacheControl: string, etag?: string) {
  res.writeHead(status, { 'content-type': type, 'content-length': body.length, 'cache-control': cacheControl, ...(etag ? { etag } : {}), ...SECURITY_HEADERS });
  res.end(body);
}
