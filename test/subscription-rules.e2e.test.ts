import { Client } from 'graphql-ws';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { record, subscriptionErrorCode, wsClient } from './helpers/ws';

/**
 * The rules every subscription obeys, whoever shares its upstream: subscriptions only over
 * graphql-ws (never a stream over HTTP), each subscriber authorised on its own before it joins
 * a shared (multiplexed) subscription, a per-user cap across sockets, and late joiners replayed
 * every current statistic whatever their document selects.
 */
const MAX_PER_USER = 6;
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
/** Activities: two in cityA1 (same tenant, so screens of both share a scope), one per other tenant. */
const act: Record<'a1' | 'a1b' | 'a2' | 'provA' | 'districtA1', string> = {} as any;
/** Screen tokens, one link per activity. */
const screen: Partial<Record<keyof typeof act, string>> = {};
const clients: Client[] = [];

function client(token: string) {
  const c = wsClient(t.platform.gateway.url, token);
  clients.push(c);
  return c;
}

const STAT = 'subscription($a: ID!) { statisticChanged(activityId: $a) { id indicator value } }';
const INC = 'mutation($a: ID!, $i: Indicator!, $by: Int!) { incrementStatistic(input: { activityId: $a, indicator: $i, by: $by }) { value } }';

/** The screen page's own subscription documents, read from its source (gateway/screen/src/app.ts). */
function screenPageSubscription(field: string): string {
  const source = readFileSync(path.resolve(__dirname, '../gateway/screen/src/app.ts'), 'utf8');
  const match = new RegExp(`'(subscription\\([^']*\\{ ${field}\\([^']*)'`).exec(source);
  if (!match) throw new Error(`no ${field} subscription in the screen page`);
  return match[1];
}

async function activity(key: TreeKey, title: string) {
  const c = await n[key].admin.run('mutation { createCampaign(input: { title: "宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
  const a = await n[key].admin.run('mutation($c: ID!, $t: String!) { createActivity(input: { campaignId: $c, title: $t, kind: OPENING_CEREMONY, startsAt: "2024-04-20T01:00:00Z" }) { id } }', { c: c.createCampaign.id, t: title });
  return a.createActivity.id as string;
}

async function screenToken(key: TreeKey, activityId: string) {
  const link = await n[key].admin.run('mutation($i: CreateScreenLinkInput!) { createScreenLink(input: $i) { url } }', { i: { activityId } });
  return link.createScreenLink.url.split('/').pop() as string;
}

beforeAll(async () => {
  t = await startTestPlatform('subrules', { MAX_SUBSCRIPTIONS_PER_USER: String(MAX_PER_USER) });
  n = await buildTree(t);
  act.a1 = await activity('cityA1', '开幕式');
  act.a1b = await activity('cityA1', '闭幕式');
  act.a2 = await activity('cityA2', '开幕式');
  act.provA = await activity('provA', '开幕式');
  act.districtA1 = await activity('districtA1', '开幕式');
  for (const key of Object.keys(act) as (keyof typeof act)[]) {
    const owner: TreeKey = key === 'a1' || key === 'a1b' ? 'cityA1' : key === 'a2' ? 'cityA2' : key;
    await n[owner].admin.run(INC, { a: act[key], i: 'SIGNATURES', by: 100 });
    screen[key] = await screenToken(owner, act[key]);
  }
  await n.cityA1.admin.run(INC, { a: act.a1, i: 'PARTICIPANTS', by: 30 });
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await t?.stop();
});

describe('subscriptions are served over graphql-ws only', () => {
  const base = () => t.platform.gateway.url;
  /** A request with a 5 s bound on the whole body: a stream never ends and fails the bound. */
  async function send(url: string, init: RequestInit) {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
  }
  const subscription = () => ({ query: STAT, variables: { a: act.a1 } });

  it.each(['text/event-stream', 'multipart/mixed', 'application/json', 'application/graphql-response+json', '*/*'])(
    'POST with Accept: %s answers 400 BAD_REQUEST in JSON, never a stream',
    async (accept) => {
      const answer = await send(base(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${n.cityA1.admin.token}` },
        body: JSON.stringify(subscription()),
      });
      expect(answer.status).toBe(400);
      expect(answer.type).toMatch(/json/);
      const body = JSON.parse(answer.body);
      expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(body.errors[0].message).toMatch(/WebSocket \(graphql-ws\) at \/graphql/);
    },
  );

  it('GET with Accept: text/event-stream answers 400 too, and a screen token over HTTP gets no stream either', async () => {
    const query = new URLSearchParams({ query: STAT, variables: JSON.stringify({ a: act.a1 }) });
    for (const token of [n.cityA1.admin.token, screen.a1]) {
      const answer = await send(`${base()}?${query}`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('BAD_REQUEST');
    }
  });

  it("Yoga's SSE paths (/graphql/stream) are not served", async () => {
    const answer = await send(`${base()}/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${n.cityA1.admin.token}` },
      body: JSON.stringify(subscription()),
    });
    expect(answer.status).toBe(404);
  });

  it('queries over HTTP and subscriptions over graphql-ws still work (positive controls)', async () => {
    const answer = await send(base(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${n.cityA1.admin.token}` },
      body: JSON.stringify({ query: 'query($a: ID!) { activity(id: $a) { title } }', variables: { a: act.a1 } }),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('开幕式');
    const s = record(client(n.cityA1.admin.token), STAT, { a: act.a1 });
    await s.until((e) => e.length >= 1);
    s.stop();
  });
});

describe('every subscriber is authorised on its own before it joins a shared subscription', () => {
  it.each([
    ['a screen of another activity in the same tenant', 'a1b'],
    ['a screen of a sibling tenant', 'a2'],
    ['a screen of the parent tenant', 'provA'],
    ['a screen of a child tenant', 'districtA1'],
  ] as const)("%s cannot join screen A's subscription (FORBIDDEN)", async (_label, other) => {
    const owner = record(client(screen.a1!), STAT, { a: act.a1 });
    await owner.until((e) => e.length >= 1); // the hub exists and holds replayed values
    expect(await subscriptionErrorCode(client(screen[other]!), STAT, { a: act.a1 })).toBe('FORBIDDEN');
    owner.stop();
  });

  it('a screen with a forged activity id is refused, and its own target still streams', async () => {
    const own = record(client(screen.a1!), STAT, { a: act.a1 });
    await own.until((e) => e.length >= 1);
    expect(await subscriptionErrorCode(client(screen.a1!), STAT, { a: '999999' })).toBe('FORBIDDEN');
    own.stop();
  });

  it.each([
    ['sibling', 'cityA2'],
    ['child', 'districtA1'],
  ] as const)("a %s tenant's admin joining an open subscription gets NOT_FOUND", async (_label, who) => {
    const owner = record(client(n.cityA1.admin.token), STAT, { a: act.a1 });
    await owner.until((e) => e.length >= 1);
    expect(await subscriptionErrorCode(client(n[who].admin.token), STAT, { a: act.a1 })).toBe('NOT_FOUND');
    owner.stop();
  });

  it("a parent tenant's admin joining an open subscription receives its events", async () => {
    const owner = record(client(n.cityA1.admin.token), STAT, { a: act.a1 });
    await owner.until((e) => e.length >= 1);
    const parent = record(client(n.provA.admin.token), STAT, { a: act.a1 });
    await parent.until((e) => e.length >= 1);
    const { incrementStatistic } = await n.cityA1.admin.run(INC, { a: act.a1, i: 'SIGNATURES', by: 1 });
    await parent.until((e) => e.some((x) => x.statisticChanged.value === incrementStatistic.value));
    owner.stop();
    parent.stop();
  });

  it('identical queries and mutations over graphql-ws each run (only subscriptions are shared)', async () => {
    const c = client(n.cityA1.admin.token);
    const signatures = async () => {
      const { activity } = await n.cityA1.admin.run('query($a: ID!) { activity(id: $a) { statistics { indicator value } } }', { a: act.a1b });
      return activity.statistics.find((s: any) => s.indicator === 'SIGNATURES').value as number;
    };
    const before = await signatures();
    const once = () =>
      new Promise<void>((resolve, reject) =>
        c.subscribe({ query: INC, variables: { a: act.a1b, i: 'SIGNATURES', by: 1 } }, { next: () => undefined, error: reject, complete: resolve }),
      );
    await Promise.all([once(), once(), once()]);
    expect(await signatures()).toBe(before + 3);
  });
});

describe('subscriptions per user, across sockets', () => {
  it(`a user holds at most MAX_SUBSCRIPTIONS_PER_USER (${MAX_PER_USER}) over all its sockets: RATE_LIMITED above, a slot frees when one ends`, async () => {
    const token = n.cityA2.admin.token!;
    // one socket each: the per-socket cap never applies
    const open = Array.from({ length: MAX_PER_USER }, () => record(client(token), STAT, { a: act.a2 }));
    await Promise.all(open.map((s) => s.until((e) => e.length >= 1)));
    expect(await subscriptionErrorCode(client(token), STAT, { a: act.a2 })).toBe('RATE_LIMITED');
    // another user is not affected
    const other = record(client(n.provA.admin.token), STAT, { a: act.a2 });
    await other.until((e) => e.length >= 1);
    other.stop();
    open[0].stop();
    const again = record(client(token), STAT, { a: act.a2 });
    await again.until((e) => e.length >= 1, 10_000);
    for (const s of [...open, again]) s.stop();
  });
});

describe('late joiners receive every current statistic', () => {
  it("with the screen page's own document (no id selected), a second screen gets each counter, and only what it selected", async () => {
    const document = screenPageSubscription('statisticChanged');
    expect(document).not.toMatch(/\bid\b/); // the case at stake: the page does not select id
    const first = record(client(screen.a1!), document, { a: act.a1 });
    await first.until((e) => new Set(e.map((x) => x.statisticChanged.indicator)).size >= 2);
    const second = record(client(screen.a1!), document, { a: act.a1 });
    const events = await second.until((e) => new Set(e.map((x) => x.statisticChanged.indicator)).size >= 2);
    expect(events.map((x) => Object.keys(x.statisticChanged).sort())).toEqual(events.map(() => ['approximate', 'indicator', 'value']));
    expect(t.platform.gateway.multiplexer.upstreamCount).toBeGreaterThanOrEqual(1);
    first.stop();
    second.stop();
  });

  it('an aliased root field is replayed per statistic too', async () => {
    const document = 'subscription($a: ID!) { counter: statisticChanged(activityId: $a) { indicator value } }';
    const first = record(client(n.cityA1.admin.token), document, { a: act.a1 });
    await first.until((e) => new Set(e.map((x) => x.counter.indicator)).size >= 2);
    const second = record(client(n.cityA1.admin.token), document, { a: act.a1 });
    await second.until((e) => new Set(e.map((x) => x.counter.indicator)).size >= 2);
    first.stop();
    second.stop();
  });
});
