import { LIMITS } from '@cascade/gateway';
import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { rawSocket } from './helpers/ws';

/**
 * API.md, "Limits and security rules (both transports, every path)": each limit is one row
 * below, and each row is checked over HTTP (POST /graphql) and over the WebSocket (the same
 * operation in a graphql-ws `subscribe` message): the same answer code on both.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let campaignId: string;

beforeAll(async () => {
  t = await startTestPlatform('parity');
  n = await buildTree(t);
  const c = await n.cityA1.admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
    i: { title: '宣传周', startsOn: '2024-04-20', endsOn: '2024-04-26', focusPoints: [] },
  });
  campaignId = c.createCampaign.id;
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

function nested(depth: number): string {
  let selection = 'name';
  for (let i = 0; i < depth; i++) selection = `children { ${selection} }`;
  return `{ tenants { edges { node { ${selection} } } } }`;
}

const cursor = (text: string) => Buffer.from(text).toString('base64url');

const ROWS: { limit: string; query: () => string; variables?: () => Record<string, unknown>; code: string }[] = [
  { limit: 'document depth', query: () => nested(LIMITS.maxDepth + 2), code: 'BAD_USER_INPUT' },
  { limit: 'aliases', query: () => `{ ${Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: me { email }`).join(' ')} }`, code: 'BAD_USER_INPUT' },
  { limit: 'tokens', query: () => `{ ${Array.from({ length: LIMITS.maxTokens }, () => '__typename').join(' ')} }`, code: 'GRAPHQL_PARSE_FAILED' },
  { limit: 'page size (first above 100)', query: () => '{ tenants(first: 101) { totalCount } }', code: 'BAD_USER_INPUT' },
  { limit: 'a cursor out of range', query: () => `{ tenants(after: "${cursor(`c:${'9'.repeat(400)}`)}") { totalCount } }`, code: 'BAD_USER_INPUT' },
  { limit: 'an id out of range', query: () => `{ campaign(id: "${'9'.repeat(40)}") { id } }`, code: 'BAD_USER_INPUT' },
  {
    limit: 'an id list of more than 100 ids',
    query: () => 'mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }',
    variables: () => ({ i: { campaignId, title: '开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z', supportingUnitIds: Array.from({ length: 101 }, (_, i) => String(i + 1)) } }),
    code: 'BAD_USER_INPUT',
  },
  { limit: 'a control character in a name', query: () => 'mutation($n: String!) { createUnit(input: { name: $n }) { id } }', variables: () => ({ n: '整规办\u0000' }), code: 'BAD_USER_INPUT' },
  { limit: 'an unpaired surrogate in a name', query: () => 'mutation($n: String!) { createUnit(input: { name: $n }) { id } }', variables: () => ({ n: '整规办\ud800' }), code: 'BAD_USER_INPUT' },
  { limit: 'a bidi override in a name', query: () => 'mutation($n: String!) { createUnit(input: { name: $n }) { id } }', variables: () => ({ n: '\u202e办规整' }), code: 'BAD_USER_INPUT' },
  { limit: 'a statistic above 1,000,000,000', query: () => 'mutation { recordStatistic(input: { activityId: "1", indicator: PARTICIPANTS, value: 1000000001 }) { value } }', code: 'BAD_USER_INPUT' },
];

async function overWebSocket(token: string, query: string, variables: Record<string, unknown> = {}): Promise<string> {
  const raw = await rawSocket(t.platform.gateway.url);
  try {
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    while (!raw.messages.some((m) => m.type === 'connection_ack')) await new Promise((r) => setTimeout(r, 10));
    raw.send({ id: '1', type: 'subscribe', payload: { query, variables } });
    const started = Date.now();
    while (Date.now() - started < 5000) {
      const answer = raw.messages.find((m) => m.id === '1' && (m.type === 'error' || m.type === 'next'));
      if (answer?.type === 'error') return answer.payload[0]?.extensions?.code ?? 'ERROR';
      if (answer?.type === 'next') return codeOf(answer.payload);
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no answer over the WebSocket');
  } finally {
    raw.ws.close();
  }
}

describe.each(ROWS)('$limit', (row) => {
  it(`answers ${row.code} over HTTP`, async () => {
    expect(codeOf(await n.cityA1.admin.request(row.query(), row.variables?.() ?? {}))).toBe(row.code);
  });

  it(`answers ${row.code} over the WebSocket`, async () => {
    expect(await overWebSocket(n.cityA1.admin.token!, row.query(), row.variables?.() ?? {})).toBe(row.code);
  });
});

describe('size of a request', () => {
  const padded = () => `{ me { email } } # ${'x'.repeat(t.config.MAX_BODY_BYTES)}`;

  it('over HTTP: 413 BAD_USER_INPUT', async () => {
    const res = await fetch(t.platform.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${n.cityA1.admin.token}` }, body: JSON.stringify({ query: padded() }) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('over the WebSocket: closed with 1009', async () => {
    const raw = await rawSocket(t.platform.gateway.url);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${n.cityA1.admin.token}` } });
    raw.send({ id: '1', type: 'subscribe', payload: { query: padded() } });
    expect((await raw.closed).code).toBe(1009);
  });
});

describe('no token', () => {
  it('over HTTP: UNAUTHENTICATED', async () => {
    expect(codeOf(await t.gql.request('{ me { email } }'))).toBe('UNAUTHENTICATED');
  });

  it('over the WebSocket: closed with 4403', async () => {
    const raw = await rawSocket(t.platform.gateway.url);
    raw.send({ type: 'connection_init', payload: {} });
    expect((await raw.closed).code).toBe(4403);
  });
});
