import { LIMITS } from '@cascade/gateway';
import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';

/** The gateway's guards: document limits, no batching, hidden suggestions, body size, probes. */
let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform('gw');
});
afterAll(async () => {
  await t?.stop();
});

function nested(depth: number): string {
  let selection = 'name';
  for (let i = 0; i < depth; i++) selection = `children { ${selection} }`;
  return `{ tenants { edges { node { ${selection} } } } }`;
}

it('refuses a document deeper than the limit, accepts one within it', async () => {
  expect(codeOf(await t.root.request(nested(LIMITS.maxDepth + 2)))).toBe('BAD_USER_INPUT');
  expect(codeOf(await t.root.request(nested(3)))).toBe('NONE');
});

it('refuses too many aliases', async () => {
  const aliases = Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: me { email }`).join(' ');
  const r = await t.root.request(`{ ${aliases} }`);
  expect(codeOf(r)).toBe('BAD_USER_INPUT');
  expect(r.data ?? null).toBeNull();
});

it('refuses too many tokens', async () => {
  const fields = Array.from({ length: LIMITS.maxTokens }, () => '__typename').join(' ');
  expect(codeOf(await t.root.request(`{ ${fields} }`))).toBe('GRAPHQL_PARSE_FAILED');
});

it('hides field suggestions', async () => {
  const r = await t.root.request('{ tenantz { totalCount } }');
  expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(r.errors![0].message).not.toMatch(/Did you mean/);
});

it('does not accept batched requests', async () => {
  const res = await fetch(t.platform.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.root.token}` },
    body: JSON.stringify([{ query: '{ me { email } }' }, { query: '{ me { email } }' }]),
  });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(JSON.stringify(await res.json())).not.toContain('root@');
});

it('refuses a body above the limit before reading it', async () => {
  const big = JSON.stringify({ query: `{ me { email } } # ${'x'.repeat(t.config.MAX_BODY_BYTES)}` });
  const res = await fetch(t.platform.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
  expect(res.status).toBe(413);
  expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
});

it('answers /healthz and /readyz on the gateway and on every subgraph', async () => {
  const base = t.platform.gateway.url.replace('/graphql', '');
  for (const url of [base, ...t.platform.services.map((s) => s.url.replace('/graphql', ''))]) {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  }
});

it('masks unexpected errors outside development and turns introspection off in production', async () => {
  const prod = await startTestPlatform('gwprod', { NODE_ENV: 'production' });
  try {
    const r = await prod.root.request('{ __schema { types { name } } }');
    expect(r.errors?.length).toBeGreaterThan(0);
    expect(r.data?.__schema ?? null).toBeNull();
    const bad = await prod.root.request('{ tenants(first: 1000) { totalCount } }');
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(bad)).not.toContain('stacktrace');
  } finally {
    await prod.stop();
  }
});
