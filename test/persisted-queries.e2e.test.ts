import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLClient } from '@cascade/app';
import { LIMITS } from '@cascade/gateway';
import { Client, createClient } from 'graphql-ws';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { rawSocket } from './helpers/ws';

/**
 * Automatic persisted queries (issue 14, goal 5) through the real gateway: Apollo Client's own
 * PersistedQueryLink over POST and GET, the protocol exchange byte by byte, the same limits for a
 * document sent by its hash as for its text, hostile extensions, and a store that stays bounded.
 * The gateway keeps at most MAX_DOCUMENTS documents here, so the flood test can fill it.
 */
const MAX_DOCUMENTS = 40;
const MAX_BYTES = 64 * 1024;
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let activityId: string;

beforeAll(async () => {
  t = await startTestPlatform('apq', { PERSISTED_QUERIES_MAX_DOCUMENTS: String(MAX_DOCUMENTS), PERSISTED_QUERIES_MAX_BYTES: String(MAX_BYTES) });
  n = await buildTree(t);
  const c = await n.cityA1.admin.run('mutation { createCampaign(input: { title: "知识产权宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
  const a = await n.cityA1.admin.run('mutation($c: ID!) { createActivity(input: { campaignId: $c, title: "万人签名", kind: SIGNATURE_DRIVE, startsAt: "2024-04-20T01:00:00Z" }) { id } }', { c: c.createCampaign.id });
  activityId = a.createActivity.id;
  await n.cityA1.admin.run('mutation($a: ID!) { incrementStatistic(input: { activityId: $a, indicator: SIGNATURES, by: 326 }) { value } }', { a: activityId });
});
afterAll(async () => {
  await t?.stop();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
/** A document no other test sends (the store is shared by the whole file). */
let serial = 0;
const fresh = (selection = 'me { email }') => `query Fresh${++serial} { ${selection} }`;

interface Sent {
  method: string;
  url: string;
  body: any;
}

/** One POST (or GET with the parameters in the URL) as a client speaking the protocol would send it. */
async function exchange(body: Record<string, unknown>, options: { token?: string | null; method?: 'GET' | 'POST' } = {}) {
  const token = options.token === undefined ? n.cityA1.admin.token : options.token;
  const headers: Record<string, string> = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  let res: Response;
  if (options.method === 'GET') {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(body)) search.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    res = await fetch(`${t.platform.gateway.url}?${search}`, { headers });
  } else {
    res = await fetch(t.platform.gateway.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

const unitNames = async (node: TreeNode): Promise<string[]> =>
  (await node.admin.run('{ me { tenant { units { name } } } }')).me.tenant.units.map((u: { name: string }) => u.name);

/** An Apollo Client whose every HTTP request is recorded. */
function apollo(token: string, useGETForHashedQueries = false) {
  const sent: Sent[] = [];
  const recording: typeof fetch = async (input, init) => {
    const url = String(input);
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : null;
    sent.push({ method: init?.method ?? 'GET', url, body });
    return fetch(input, init);
  };
  const link = new PersistedQueryLink({ sha256, useGETForHashedQueries }).concat(
    new HttpLink({ uri: t.platform.gateway.url, fetch: recording, headers: { authorization: `Bearer ${token}` } }),
  );
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
}

describe("Apollo Client's PersistedQueryLink", () => {
  it('over POST: a document unknown to the gateway is sent again with its text, then by its hash alone', async () => {
    const query = gql`
      query MyTenant {
        me {
          email
          tenant {
            name
          }
        }
      }
    `;
    const first = apollo(n.cityA1.admin.token!);
    const a = await first.client.query<any>({ query, fetchPolicy: 'no-cache' });
    expect(a.data).toEqual({ me: { __typename: 'User', email: 'admin@citya1.test', tenant: { __typename: 'Tenant', name: '甲一市' } } });
    expect(first.sent).toHaveLength(2);
    expect(first.sent[0].body.query).toBeUndefined();
    expect(first.sent[0].body.extensions.persistedQuery).toEqual({ version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(first.sent[1].body.query).toContain('query MyTenant');

    // another client (another user): one request, the hash alone, its own scope
    const second = apollo(n.provB.admin.token!);
    const b = await second.client.query<any>({ query, fetchPolicy: 'no-cache' });
    expect(b.data?.me).toEqual({ __typename: 'User', email: 'admin@provb.test', tenant: { __typename: 'Tenant', name: '乙省' } });
    expect(second.sent).toHaveLength(1);
    expect(second.sent[0].body.query).toBeUndefined();
  });

  it('over GET (useGETForHashedQueries): the hash in the URL, the text only once, over POST', async () => {
    const query = gql`
      query MyUnits {
        me {
          tenant {
            units {
              name
            }
          }
        }
      }
    `;
    const first = apollo(n.cityA2.admin.token!, true);
    const units = (result: { data?: any }) => result.data?.me.tenant.units.map((u: { name: string }) => u.name);
    expect(units(await first.client.query<any>({ query, fetchPolicy: 'no-cache' }))).toEqual(['整规办']);
    expect(first.sent.map((s) => s.method)).toEqual(['GET', 'POST']);
    expect(new URL(first.sent[0].url).searchParams.get('query')).toBeNull();

    const second = apollo(n.cityA2.admin.token!, true);
    expect(units(await second.client.query<any>({ query, fetchPolicy: 'no-cache' }))).toEqual(['整规办']);
    expect(second.sent.map((s) => s.method)).toEqual(['GET']);
    const url = new URL(second.sent[0].url);
    expect(url.searchParams.get('query')).toBeNull();
    expect(JSON.parse(url.searchParams.get('extensions')!).persistedQuery.version).toBe(1);
  });

  it('a mutation goes over POST by its hash, never over GET', async () => {
    const mutation = gql`
      mutation AddUnit($name: String!) {
        createUnit(input: { name: $name }) {
          name
        }
      }
    `;
    const { client, sent } = apollo(n.districtA1.admin.token!, true);
    await client.mutate({ mutation, variables: { name: '宣传部' } });
    await client.mutate({ mutation, variables: { name: '司法局' } });
    expect(sent.map((s) => `${s.method} ${s.body?.query ? 'text' : 'hash'}`)).toEqual(['POST hash', 'POST text', 'POST hash']);
    expect((await unitNames(n.districtA1)).sort()).toEqual(['司法局', '宣传部', '整规办'].sort());
  });
});

describe('the protocol, as the gateway answers it', () => {
  it('a hash it does not know: PersistedQueryNotFound, PERSISTED_QUERY_NOT_FOUND, over POST and GET', async () => {
    const query = fresh();
    for (const method of ['POST', 'GET'] as const) {
      const res = await exchange({ extensions: persisted(query) }, { method });
      expect(res.status).toBe(404);
      expect(res.json.errors).toEqual([expect.objectContaining({ message: 'PersistedQueryNotFound', extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }) })]);
      expect(res.json.data).toBeUndefined();
    }
  });

  it('the hash with its text runs and is kept; then the hash alone runs, over POST and GET', async () => {
    const query = fresh();
    const registered = await exchange({ query, extensions: persisted(query) });
    expect(registered.status).toBe(200);
    expect(registered.json).toEqual({ data: { me: { email: 'admin@citya1.test' } } });
    for (const method of ['POST', 'GET'] as const) {
      const res = await exchange({ extensions: persisted(query) }, { method });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ data: { me: { email: 'admin@citya1.test' } } });
    }
  });

  it('a text that is not the hash: PERSISTED_QUERY_MISMATCH, and nothing is kept under that hash', async () => {
    const claimed = fresh();
    const res = await exchange({ query: '{ me { email } }', extensions: persisted(claimed) });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_MISMATCH');
    expect(codeOf((await exchange({ extensions: persisted(claimed) })).json)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('the demo client (GraphQLClient { persisted: true }) sends its text once', async () => {
    const client = new GraphQLClient(t.platform.gateway.url, n.provA.admin.token, { persisted: true });
    const query = fresh('me { tenant { name } }');
    expect(await client.run(query)).toEqual({ me: { tenant: { name: '甲省' } } });
    // the gateway knows it now: the hash alone answers
    expect((await exchange({ extensions: persisted(query) }, { token: n.provA.admin.token })).json).toEqual({ data: { me: { tenant: { name: '甲省' } } } });
    expect(await client.run(query)).toEqual({ me: { tenant: { name: '甲省' } } });
  });
});

describe('a document sent by its hash passes every rule its text passes', () => {
  function nested(depth: number): string {
    let selection = 'name';
    for (let i = 0; i < depth; i++) selection = `children { ${selection} }`;
    return `{ tenants { edges { node { ${selection} } } } }`;
  }
  const refused = [
    { limit: 'depth', query: nested(LIMITS.maxDepth + 2), code: 'BAD_USER_INPUT' },
    { limit: 'aliases', query: `{ ${Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: me { email }`).join(' ')} }`, code: 'BAD_USER_INPUT' },
    { limit: 'tokens', query: `{ ${Array.from({ length: LIMITS.maxTokens }, () => '__typename').join(' ')} }`, code: 'GRAPHQL_PARSE_FAILED' },
    { limit: 'an unknown field', query: '{ me { password } }', code: 'GRAPHQL_VALIDATION_FAILED' },
  ];

  it.each(refused)('$limit: refused as the text is, and never kept', async ({ query, code }) => {
    const asText = await exchange({ query });
    expect(codeOf(asText.json)).toBe(code);
    const registered = await exchange({ query, extensions: persisted(query) });
    expect(codeOf(registered.json)).toBe(code);
    expect(registered.status).toBe(asText.status);
    // refused, so not kept: the hash alone is unknown, and its text is refused again
    expect(codeOf((await exchange({ extensions: persisted(query) })).json)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('arguments (input-guard, in every subgraph): a document kept by its hash is refused by its hash as by its text', async () => {
    const query = 'query PageOf($first: Int) { tenants(first: $first) { totalCount } }';
    expect((await exchange({ query, variables: { first: 10 }, extensions: persisted(query) })).json.data.tenants.totalCount).toBeGreaterThan(0);
    const asText = await exchange({ query, variables: { first: 101 } });
    const byHash = await exchange({ variables: { first: 101 }, extensions: persisted(query) });
    expect(codeOf(asText.json)).toBe('BAD_USER_INPUT');
    expect(byHash.json).toEqual(asText.json);
  });

  it('sign-in: a document registered by a signed-in user still needs a token by its hash', async () => {
    const query = fresh();
    expect((await exchange({ query, extensions: persisted(query) })).status).toBe(200);
    const anonymous = await exchange({ extensions: persisted(query) }, { token: null });
    expect(codeOf(anonymous.json)).toBe('UNAUTHENTICATED');
  });

  it('without a token a document is refused and not kept (nobody anonymous fills the store)', async () => {
    const query = fresh();
    expect(codeOf((await exchange({ query, extensions: persisted(query) }, { token: null })).json)).toBe('UNAUTHENTICATED');
    expect(codeOf((await exchange({ extensions: persisted(query) })).json)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('a mutation known by its hash is refused over GET (405) and does not run', async () => {
    const mutation = 'mutation AddUnitOverGet($name: String!) { createUnit(input: { name: $name }) { name } }';
    const token = n.cityA2.admin.token;
    expect((await exchange({ query: mutation, variables: { name: '教育局' }, extensions: persisted(mutation) }, { token })).json.data.createUnit.name).toBe('教育局');
    const byGet = await exchange({ variables: { name: '文旅局' }, extensions: persisted(mutation) }, { token, method: 'GET' });
    expect(byGet.status).toBe(405);
    expect(byGet.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const withText = await exchange({ query: mutation, variables: { name: '文旅局' }, extensions: persisted(mutation) }, { token, method: 'GET' });
    expect(withText.status).toBe(405);
    const units = await unitNames(n.cityA2);
    expect(units).toContain('教育局');
    expect(units).not.toContain('文旅局');
  });

  it('a subscription known by its hash (kept over graphql-ws) is still refused over HTTP', async () => {
    const subscription = 'subscription Signatures($a: ID!) { statisticChanged(activityId: $a) { indicator value } }';
    const socket = ws(n.cityA1.admin.token!);
    try {
      const first = await firstResult(socket, { query: subscription, variables: { a: activityId }, extensions: persisted(subscription) });
      expect(first.data.statisticChanged).toEqual({ indicator: 'SIGNATURES', value: 326 });
    } finally {
      await socket.dispose();
    }
    for (const method of ['POST', 'GET'] as const) {
      const res = await exchange({ variables: { a: activityId }, extensions: persisted(subscription) }, { method });
      expect(res.status).toBe(400);
      expect(codeOf(res.json)).toBe('BAD_REQUEST');
    }
  });
});

function ws(token: string): Client {
  return createClient({ url: t.platform.gateway.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: true, lazyCloseTimeout: 60_000 });
}

/**
 * The first `next` of an operation over graphql-ws (an `error` message rejects). The socket stays
 * open between operations (lazyCloseTimeout), so one test's operations share it.
 */
function firstResult(socket: Client, payload: { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> }): Promise<any> {
  return new Promise((resolve, reject) => {
    let stop = () => undefined as void;
    stop = socket.subscribe(payload, {
      next: (value) => {
        resolve(value);
        stop();
      },
      error: reject,
      complete: () => reject(new Error('completed without a result')),
    });
  });
}

describe('over graphql-ws', () => {
  it('a text with a hash that does not match answers PERSISTED_QUERY_MISMATCH, and the socket carries on', async () => {
    const socket = ws(n.cityA1.admin.token!);
    try {
      const wrong = await firstResult(socket, { query: '{ me { email } }', extensions: persisted(fresh()) });
      expect(wrong.errors[0].extensions.code).toBe('PERSISTED_QUERY_MISMATCH');
      const bad = await firstResult(socket, { query: '{ me { email } }', extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ me { email } }') } } });
      expect(bad.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect((await firstResult(socket, { query: '{ me { email } }' })).data.me.email).toBe('admin@citya1.test');
    } finally {
      await socket.dispose();
    }
  });

  it('a document by its hash alone cannot be sent: graphql-ws requires the query in every subscribe message (4400)', async () => {
    const query = '{ me { email } }';
    expect((await exchange({ query, extensions: persisted(query) })).status).toBe(200);
    const raw = await rawSocket(t.platform.gateway.url);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${n.cityA1.admin.token}` } });
    while (!raw.messages.some((m) => m.type === 'connection_ack')) await new Promise((r) => setTimeout(r, 10));
    raw.send({ id: '1', type: 'subscribe', payload: { extensions: persisted(query) } });
    expect((await raw.closed).code).toBe(4400);
  });

  it('a too-deep document with its hash is refused as its text is', async () => {
    let selection = 'name';
    for (let i = 0; i < LIMITS.maxDepth; i++) selection = `children { ${selection} }`;
    const query = `subscription { statisticChanged(activityId: "${activityId}") { activity { tenant { ${selection} } } } }`;
    const socket = ws(n.cityA1.admin.token!);
    try {
      const asText = await firstResult(socket, { query });
      const withHash = await firstResult(socket, { query, extensions: persisted(query) });
      expect(codeOf(asText)).toBe('BAD_USER_INPUT');
      expect(codeOf(withHash)).toBe('BAD_USER_INPUT');
    } finally {
      await socket.dispose();
    }
  });
});

describe('hostile extensions', () => {
  const query = '{ me { email } }';
  const cases: [string, unknown][] = [
    ['a hash in capitals', { version: 1, sha256Hash: sha256(query).toUpperCase() }],
    ['a short hash', { version: 1, sha256Hash: 'abc' }],
    ['a hash of 100,000 characters', { version: 1, sha256Hash: 'a'.repeat(100_000) }],
    ['a hash that is a number', { version: 1, sha256Hash: 42 }],
    ['a hash that is an object', { version: 1, sha256Hash: { $gt: '' } }],
    ['no hash', { version: 1 }],
    ['version 2', { version: 2, sha256Hash: sha256(query) }],
    ['version "1"', { version: '1', sha256Hash: sha256(query) }],
    ['no version', { sha256Hash: sha256(query) }],
    ['null', null],
    ['an array', [1, sha256(query)]],
    ['a string', sha256(query)],
  ];

  it.each(cases)('%s: 400 BAD_REQUEST, with or without the text, over POST and GET', async (_, persistedQuery) => {
    for (const method of ['POST', 'GET'] as const) {
      for (const body of [{ extensions: { persistedQuery } }, { query, extensions: { persistedQuery } }]) {
        const res = await exchange(body, { method });
        if (method === 'GET' && JSON.stringify(persistedQuery).length > 16 * 1024) {
          // Node's own bound on a request's head (16 KiB), before the gateway sees it
          expect(res.status).toBe(431);
          continue;
        }
        expect(res.status).toBe(400);
        expect(res.json.errors).toHaveLength(1);
        expect(res.json.errors[0].extensions.code).toBe('BAD_REQUEST');
      }
    }
  });

  it('a large document (within the body limit, larger than the whole store) runs and is not kept', async () => {
    const large = `${fresh()} # ${'x'.repeat(MAX_BYTES)}`;
    const res = await exchange({ query: large, extensions: persisted(large) });
    expect(res.json).toEqual({ data: { me: { email: 'admin@citya1.test' } } });
    expect(codeOf((await exchange({ extensions: persisted(large) })).json)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('a document over the body limit answers 413 before any hash is computed', async () => {
    const huge = `{ me { email } } # ${'x'.repeat(t.config.MAX_BODY_BYTES)}`;
    const res = await exchange({ query: huge, extensions: persisted(huge) });
    expect(res.status).toBe(413);
    expect(codeOf(res.json)).toBe('BAD_USER_INPUT');
  });

  it('a flood of registrations keeps the store bounded: the oldest are forgotten, the newest and the gateway serve', async () => {
    const flood = Array.from({ length: MAX_DOCUMENTS * 3 }, () => fresh('__typename'));
    for (const query of flood) expect((await exchange({ query, extensions: persisted(query) })).status).toBe(200);
    const known = async (query: string) => (await exchange({ extensions: persisted(query) })).status === 200;
    expect(await known(flood[0])).toBe(false);
    expect(await known(flood[MAX_DOCUMENTS])).toBe(false);
    expect(await known(flood[flood.length - 1])).toBe(true);
    expect(await known(flood[flood.length - MAX_DOCUMENTS + 1])).toBe(true);
    expect((await t.root.request('{ me { email } }')).data?.me?.email).toBeTruthy();
  });
});
