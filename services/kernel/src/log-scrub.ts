/**
 * What a log line may never carry, whoever wrote it (our code, Hive Gateway's runtime, a
 * library's error): GraphQL variables and documents (a password is an argument, inline or as a
 * variable), request and response bodies, headers (Authorization, cookies, the signed internal
 * context), tokens and passwords. Values under these keys are replaced, at any depth.
 */
const SECRET_KEYS = new Set(
  [
    'variables', 'variableValues', 'query', 'document', 'body', 'rawBody', 'request', 'response', 'headers',
    'authorization', 'cookie', 'set-cookie', 'password', 'newPassword', 'token', 'accessToken', 'refreshToken',
    'secret', 'connectionParams', 'x-cascade-context', 'parameters', 'result', 'data',
  ].map((key) => key.toLowerCase()),
);

const REDACTED = '[redacted]';
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;

/**
 * Tokens found inside free text (an error message that quotes a header, a URL with a
 * password): `Bearer <anything>`, anything shaped like a JWT, `user:password@` in a URL.
 */
export function scrubText(text: string): string {
  return text
    .replace(/\b(bearer)\s+[^\s"',;]+/gi, '$1 [redacted]')
    .replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]')
    .replace(/\/\/([^/:@\s]*):[^@\s/]*@/g, '//$1:***@');
}

/**
 * A copy of a log line's attributes without secrets. Errors keep their name, message, code,
 * stack and cause only: a driver's or a transport's error carries the SQL parameters or the
 * request it failed on as extra properties.
 */
export function scrubLogFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (value instanceof Error) {
    const err = value as Error & { code?: unknown };
    const out: Record<string, unknown> = { type: err.name, message: scrubText(err.message) };
    if (typeof err.code === 'string' || typeof err.code === 'number') out.code = err.code;
    const code = (err as { extensions?: { code?: unknown } }).extensions?.code;
    if (typeof code === 'string') out.code = code;
    if (err.stack) out.stack = scrubText(err.stack);
    if (err.cause !== undefined) out.cause = scrubLogFields(err.cause, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => scrubLogFields(item, depth + 1));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : scrubLogFields(item, depth + 1);
  }
  return out;
}
