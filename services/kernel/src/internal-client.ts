import { Claims, INTERNAL_CONTEXT_HEADER, signInternalContext } from './context';

/**
 * Asks another subgraph about entities it owns, as the same caller (the same claims, signed
 * like the gateway signs them), so its answer is scoped exactly as the caller's query
 * would be. Used where a write must check a reference owned elsewhere (a unit in org).
 */
export async function fetchEntities<T>(
  options: { url: string; secret: string; claims: Claims },
  typename: string,
  ids: (string | number)[],
  selection: string,
): Promise<(T | null)[]> {
  if (ids.length === 0) return [];
  const request = JSON.stringify({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
    variables: { r: ids.map((id) => ({ __typename: typename, id: String(id) })) },
  });
  const res = await fetch(options.url, {
    method: 'POST',
    // bound to this body, like the gateway's (context.ts)
    headers: { 'content-type': 'application/json', [INTERNAL_CONTEXT_HEADER]: signInternalContext(options.claims, options.secret, request) },
    body: request,
  });
  const type = res.headers.get('content-type') ?? 'no content type';
  // a body parser's error page is HTML: say what came back instead of failing to parse it
  if (!/^application\/(graphql-response\+)?json\b/.test(type)) {
    await res.body?.cancel();
    throw new Error(`${typename} lookup failed: HTTP ${res.status} ${type} from ${options.url}`);
  }
  let body: { data?: { _entities: (T | null)[] }; errors?: { message: string }[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new Error(`${typename} lookup failed: HTTP ${res.status} ${type} that is not JSON from ${options.url}`);
  }
  if (!res.ok || !body.data) {
    throw new Error(`${typename} lookup failed: HTTP ${res.status} ${body.errors?.[0]?.message ?? 'without data'} from ${options.url}`);
  }
  return body.data._entities;
}
