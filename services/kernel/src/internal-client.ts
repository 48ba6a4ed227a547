import { Claims, INTERNAL_CONTEXT_HEADER, signInternalContext } from './context';
import { currentRequestId, currentRequestSpan, REQUEST_ID_HEADER } from './request-id';
import { traceHeaders } from './tracing';

export interface SubgraphCaller {
  url: string;
  secret: string;
  /** The caller's claims: the other subgraph scopes its answer exactly as for the caller's own query. */
  claims: Claims;
}

export interface SubgraphAnswer<T> {
  data: T | null;
  errors: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/**
 * Sends one GraphQL operation to another subgraph as the same caller (the same claims, signed
 * like the gateway signs them, bound to this body). Answers data and errors as sent; throws
 * only when no GraphQL answer came back (`what` names the lookup in that message).
 */
export async function querySubgraph<T>(options: SubgraphCaller, query: string, variables: Record<string, unknown>, what = 'Subgraph query'): Promise<SubgraphAnswer<T>> {
  const request = JSON.stringify({ query, variables });
  const res = await fetch(options.url, {
    method: 'POST',
    // bound to this body, like the gateway's (context.ts)
    // the request id and trace of the request this call serves go along (logs and traces join up)
    headers: {
      'content-type': 'application/json',
      [INTERNAL_CONTEXT_HEADER]: signInternalContext(options.claims, options.secret, request),
      ...requestHeaders(),
    },
    body: request,
  });
  const type = res.headers.get('content-type') ?? 'no content type';
  // a body parser's error page is HTML: say what came back instead of failing to parse it
  if (!/^application\/(graphql-response\+)?json\b/.test(type)) {
    await res.body?.cancel();
    throw new Error(`${what} failed: HTTP ${res.status} ${type} from ${options.url}`);
  }
  let body: { data?: T | null; errors?: SubgraphAnswer<T>['errors'] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new Error(`${what} failed: HTTP ${res.status} ${type} that is not JSON from ${options.url}`);
  }
  if (!res.ok && !body.data) {
    throw new Error(`${what} failed: HTTP ${res.status} ${body.errors?.[0]?.message ?? 'without data'} from ${options.url}`);
  }
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

/**
 * Asks another subgraph about entities it owns, as the same caller, so its answer is scoped
 * exactly as the caller's query would be. Used where a write must check a reference owned
 * elsewhere (a unit in org).
 */
export async function fetchEntities<T>(options: SubgraphCaller, typename: string, ids: (string | number)[], selection: string): Promise<(T | null)[]> {
  if (ids.length === 0) return [];
  const answer = await querySubgraph<{ _entities: (T | null)[] }>(
    options,
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
    { r: ids.map((id) => ({ __typename: typename, id: String(id) })) },
    `${typename} lookup`,
  );
  if (!answer.data) throw new Error(`${typename} lookup failed: ${answer.errors[0]?.message ?? 'without data'} from ${options.url}`);
  return answer.data._entities;
}

function requestHeaders(): Record<string, string> {
  const requestId = currentRequestId();
  return { ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}), ...traceHeaders(currentRequestSpan()) };
}
