import { GraphQLError, GraphQLFormattedError } from 'graphql';

/** The error codes clients can rely on (ARCHITECTURE.md, Conventions). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

const KNOWN_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

export function appError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const unauthenticated = (message = 'Sign in first') => appError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Not allowed') => appError('FORBIDDEN', message);
export const notFound = (what = 'Object') => appError('NOT_FOUND', `${what} not found`);
export const badInput = (message: string, field?: string) =>
  appError('BAD_USER_INPUT', message, field ? { field } : {});
export const conflict = (message: string) => appError('CONFLICT', message);

/**
 * Outside development, anything that is not one of our own coded errors becomes a plain
 * INTERNAL_SERVER_ERROR: no stack, no SQL text, no driver message.
 */
export function maskError(formatted: GraphQLFormattedError, development: boolean): GraphQLFormattedError {
  const code = formatted.extensions?.code as string | undefined;
  if (code && KNOWN_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') {
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    return development ? formatted : { ...formatted, extensions };
  }
  if (development) return formatted;
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** True for a unique-constraint violation on MySQL/MariaDB or SQLite. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
