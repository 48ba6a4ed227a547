/**
 * What the gateway serves, decided on the raw request path (before any decoding or
 * normalisation, so `/./graphql`, `//graphql` or `/media/%2e%2e/` cannot reach a route by a
 * spelling of another). Anything not listed here answers 404; a path with dot-segments,
 * empty segments, backslashes or encoded separators answers 400 and reaches nothing.
 */
export type Route =
  | { kind: 'graphql' }
  | { kind: 'probe' }
  | { kind: 'metrics' }
  | { kind: 'screen'; rest: string }
  | { kind: 'media' }
  | { kind: 'reports' }
  | { kind: 'not-found' }
  | { kind: 'bad-path' };

/** A media capability token: `<base64url payload>.<base64url signature>` (services/media signing). */
const MEDIA_PATH = /^\/media\/(upload|download)\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** A report's .docx: the same token shape (kernel capability.ts). */
const REPORT_PATH = /^\/reports\/download\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function routeOf(url: string | undefined): Route {
  const path = (url ?? '').split('?')[0];
  if (!isPlainPath(path)) return { kind: 'bad-path' };
  if (path === '/graphql') return { kind: 'graphql' };
  if (path === '/healthz' || path === '/readyz') return { kind: 'probe' };
  if (path === '/metrics') return { kind: 'metrics' };
  if (path.startsWith('/screen/')) return { kind: 'screen', rest: path.slice('/screen/'.length) };
  if (MEDIA_PATH.test(path)) return { kind: 'media' };
  if (REPORT_PATH.test(path)) return { kind: 'reports' };
  return { kind: 'not-found' };
}

/** An absolute path of non-empty segments, none of them `.` or `..`, with no encoded `.`, `/` or `\`. */
export function isPlainPath(path: string): boolean {
  if (!path.startsWith('/') || path.includes('\\') || /%(2e|2f|5c|00)/i.test(path)) return false;
  const segments = path.slice(1).split('/');
  return segments.every((s, i) => (s !== '' || i === segments.length - 1) && s !== '.' && s !== '..');
}
