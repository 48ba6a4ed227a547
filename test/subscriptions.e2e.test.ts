import { InProcessBus, issueToken } from '@cascade/kernel';
import { Client } from 'graphql-ws';
import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { rawSocket, record, subscriptionErrorCode, wsClient } from './helpers/ws';

/** Live feeds and subscriptions at the gateway's one endpoint, over graphql-ws. */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
const act: Partial<Record<TreeKey, string>> = {};
const camp: Partial<Record<TreeKey, string>> = {};
const clients: Client[] = [];

function client(token: string | null) {
  const c = wsClient(t.platform.gateway.url, token);
  clients.push(c);
  return c;
}

const STAT = 'subscription($a: ID!) { statisticChanged(activityId: $a) { id indicator value activity { title leadUnit { name } } } }';
const ROLLUP = 'subscription($t: ID!, $c: ID) { rollupChanged(tenantId: $t, campaignId: $c) { id tenant { name } totals { indicator value } } }';
const FEED = 'subscription($a: ID!) { feedEntryAdded(activityId: $a) { text author { name } activity { title } } }';
const INC = 'mutation($a: ID!, $by: Int!) { incrementStatistic(input: { activityId: $a, indicator: SIGNATURES, by: $by }) { value } }';

async function increment(key: TreeKey, by = 1) {
  return (await n[key].admin.run(INC, { a: act[key], by })).incrementStatistic.value as number;
}

beforeAll(async () => {
  t = await startTestPlatform('subs');
  n = await buildTree(t);
  for (const key of ['cityA1', 'cityA2', 'provA'] as TreeKey[]) {
    const c = await n[key].admin.run('mutation { createCampaign(input: { title: "宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
    camp[key] = c.createCampaign.id;
    const a = await n[key].admin.run('mutation($c: ID!, $u: ID) { createActivity(input: { campaignId: $c, title: "开幕式", kind: OPENING_CEREMONY, startsAt: "2024-04-20T01:00:00Z", leadUnitId: $u }) { id } }', { c: camp[key], u: n[key].unitId });
    act[key] = a.createActivity.id;
  }
  await increment('cityA1', 10);
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await t?.stop();
});

describe('graphql-ws protocol at the gateway', () => {
  it('closes with 4403 without a token or with a bad one', async () => {
    for (const payload of [{}, { authorization: 'Bearer nonsense' }, { authorization: 'Basic abc' }]) {
      const s = await rawSocket(t.platform.gateway.url);
      s.send({ type: 'connection_init', payload });
      expect((await s.closed).code).toBe(4403);
    }
  });

  it('follows the protocol: 4408 init timeout, 4429 second init, 4401 subscribe before ack, 4409 duplicate id, ping → pong', async () => {
    const idle = await rawSocket(t.platform.gateway.url);
    expect((await idle.closed).code).toBe(4408);

    const early = await rawSocket(t.platform.gateway.url);
    early.send({ type: 'subscribe', id: '1', payload: { query: STAT, variables: { a: act.cityA1 } } });
    expect((await early.closed).code).toBe(4401);

    const s = await rawSocket(t.platform.gateway.url);
    s.send({ type: 'connection_init', payload: { authorization: `Bearer ${n.cityA1.admin.token}` } });
    await waitFor(() => s.messages.some((m) => m.type === 'connection_ack'));
    s.send({ type: 'ping' });
    await waitFor(() => s.messages.some((m) => m.type === 'pong'));
    s.send({ type: 'subscribe', id: 'same', payload: { query: STAT, variables: { a: act.cityA1 } } });
    await waitFor(() => s.messages.some((m) => m.type === 'next'));
    s.send({ type: 'subscribe', id: 'same', payload: { query: STAT, variables: { a: act.cityA1 } } });
    expect((await s.closed).code).toBe(4409);

    const twice = await rawSocket(t.platform.gateway.url);
    twice.send({ type: 'connection_init', payload: { authorization: `Bearer ${n.cityA1.admin.token}` } });
    twice.send({ type: 'connection_init', payload: { authorization: `Bearer ${n.cityA1.admin.token}` } });
    expect((await twice.closed).code).toBe(4429);
  });

  it('applies the document limits and bounds the subscriptions of one socket', async () => {
    const c = client(n.cityA1.admin.token);
    let deep = 'name';
    for (let i = 0; i < 12; i++) deep = `tenant { children { ${deep} } }`;
    expect(await subscriptionErrorCode(c, `subscription($a: ID!) { statisticChanged(activityId: $a) { activity { leadUnit { ${deep} } } } }`, { a: act.cityA1 })).toBe('BAD_USER_INPUT');
    const many = client(n.cityA1.admin.token);
    const max = t.config.MAX_SUBSCRIPTIONS_PER_SOCKET;
    const open = Array.from({ length: max }, () => record(many, FEED, { a: act.cityA1 }));
    await new Promise((r) => setTimeout(r, 300));
    expect(await subscriptionErrorCode(many, FEED, { a: act.cityA1 })).toBe('RATE_LIMITED');
    open.forEach((s) => s.stop());
  });

  it("ends the socket's subscriptions when the token expires", async () => {
    const path = (await t.platform.services[0].dataSource.query('SELECT tenant_path FROM tenants WHERE id = ?', [Number(n.cityA1.tenantId)]))[0].tenant_path;
    const me = await n.cityA1.admin.run('{ me { id } }');
    const shortLived = await issueToken({ userId: me.me.id, tenantId: n.cityA1.tenantId, tenantPath: path, role: 'ADMIN', root: false }, t.config.JWT_SECRET!, 2);
    const s = await rawSocket(t.platform.gateway.url);
    s.send({ type: 'connection_init', payload: { authorization: `Bearer ${shortLived}` } });
    await waitFor(() => s.messages.some((m) => m.type === 'connection_ack'));
    s.send({ type: 'subscribe', id: 'a', payload: { query: STAT, variables: { a: act.cityA1 } } });
    const closed = await s.closed;
    expect(closed.code).toBe(4403);
  });
});

describe('federated payloads, first event = current state', () => {
  it('statisticChanged resolves fields of other subgraphs per event, starting with the current value', async () => {
    const s = record(client(n.cityA1.admin.token), STAT, { a: act.cityA1 });
    const [first] = await s.until((e) => e.length >= 1);
    const current = first.statisticChanged.value;
    expect(first.statisticChanged).toMatchObject({ indicator: 'SIGNATURES', activity: { title: '开幕式', leadUnit: { name: '整规办' } } });
    const after = await increment('cityA1', 5);
    expect(after).toBe(current + 5);
    const events = await s.until((e) => e.some((x) => x.statisticChanged.value === after));
    expect(events.at(-1).statisticChanged.value).toBe(after);
    s.stop();
  });

  it('statisticChanged carries the value the event carried, and never a state older than one it sent', async () => {
    const a = (await n.cityA1.admin.run('mutation($c: ID!) { createActivity(input: { campaignId: $c, title: "签名", kind: SIGNATURE_DRIVE, startsAt: "2024-04-21T01:00:00Z" }) { id } }', { c: camp.cityA1 })).createActivity.id;
    await n.cityA1.admin.run(INC, { a, by: 1 });
    const s = record(client(n.cityA1.admin.token), 'subscription($a: ID!) { statisticChanged(activityId: $a) { id indicator value approximate } }', { a });
    const [first] = await s.until((e) => e.length >= 1);
    expect(first.statisticChanged).toMatchObject({ indicator: 'SIGNATURES', value: 1, approximate: false });
    // events as campaigns publishes them, but with values campaigns does not hold: what reaches the
    // subscriber is what the event carried (nothing read again), in version order only
    const state = { activityId: Number(a), statisticId: Number(first.statisticChanged.id), tenantPath: '/', indicator: 'SIGNATURES' };
    await t.platform.bus.publish('statistic.changed', { ...state, value: 424242, approximate: true, version: 1000 });
    await s.until((e) => e.some((x) => x.statisticChanged.value === 424242));
    await t.platform.bus.publish('statistic.changed', { ...state, value: 7, approximate: false, version: 999 });
    await t.platform.bus.publish('statistic.changed', { ...state, value: 424243, approximate: false, version: 1001 });
    const events = await s.until((e) => e.some((x) => x.statisticChanged.value === 424243));
    expect(events.map((x) => [x.statisticChanged.value, x.statisticChanged.approximate])).toEqual([[1, false], [424242, true], [424243, false]]);
    s.stop();
  });

  it('concurrent increments reach a subscriber in order, ending on the final value', async () => {
    const a = (await n.cityA1.admin.run('mutation($c: ID!) { createActivity(input: { campaignId: $c, title: "并发", kind: SIGNATURE_DRIVE, startsAt: "2024-04-21T01:00:00Z" }) { id } }', { c: camp.cityA1 })).createActivity.id;
    await n.cityA1.admin.run(INC, { a, by: 1 });
    const viewers = [n.cityA1.admin, n.provA.admin].map((who) => record(client(who.token), 'subscription($a: ID!) { statisticChanged(activityId: $a) { value } }', { a }));
    await Promise.all(viewers.map((v) => v.until((e) => e.length >= 1)));
    const answers = await Promise.all(Array.from({ length: 40 }, () => n.cityA1.admin.run(INC, { a, by: 1 })));
    const final = Math.max(...answers.map((x) => x.incrementStatistic.value));
    expect(final).toBe(41);
    for (const v of viewers) {
      const values = (await v.until((e) => e.some((x) => x.statisticChanged.value === final))).map((x) => x.statisticChanged.value);
      for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
      v.stop();
    }
  });

  it('rollupChanged starts with the current roll-up and follows every change below', async () => {
    const s = record(client(n.provA.admin.token), ROLLUP, { t: n.provA.tenantId });
    const [first] = await s.until((e) => e.length >= 1);
    const signatures = (e: any) => e.rollupChanged.totals.find((x: any) => x.indicator === 'SIGNATURES')?.value ?? 0;
    expect(first.rollupChanged.tenant.name).toBe('甲省');
    const before = signatures(first);
    await increment('cityA1', 3);
    await increment('cityA2', 4);
    await s.until((e) => e.some((x) => signatures(x) === before + 7));
    s.stop();
  });

  it('feedEntryAdded delivers posts with their author and activity', async () => {
    const s = record(client(n.provA.admin.token), FEED, { a: act.cityA1 });
    await new Promise((r) => setTimeout(r, 300));
    await n.cityA1.admin.run('mutation($a: ID!) { postFeedEntry(input: { activityId: $a, text: "万人签名开始" }) { id } }', { a: act.cityA1 });
    const [event] = await s.until((e) => e.length >= 1);
    expect(event.feedEntryAdded).toEqual({ text: '万人签名开始', author: { name: '甲一市管理员' }, activity: { title: '开幕式' } });
    s.stop();
  });
});

describe('isolation, the same cases over HTTP and over WebSocket', () => {
  const cases: [string, TreeKey, () => string][] = [
    ['sibling activity', 'cityA2', () => act.cityA1!],
    ["parent's activity", 'cityA1', () => act.provA!],
    ['forged id', 'cityA1', () => '999999'],
  ];

  it.each(cases)('%s: HTTP query null, subscription NOT_FOUND', async (_label, who, activity) => {
    const http = await n[who].admin.request('query($a: ID!) { activity(id: $a) { id } }', { a: activity() });
    expect(http.data.activity).toBeNull();
    expect(codeOf(await n[who].admin.request('query($a: ID!) { feed(activityId: $a) { totalCount } }', { a: activity() }))).toBe('NOT_FOUND');
    const c = client(n[who].admin.token);
    expect(await subscriptionErrorCode(c, STAT, { a: activity() })).toBe('NOT_FOUND');
    expect(await subscriptionErrorCode(c, FEED, { a: activity() })).toBe('NOT_FOUND');
  });

  it.each([
    ['malformed', 'x'],
    ['out of range', '2147483648'],
    ['a control character', '1\u0000'],
  ])('a %s id: HTTP and subscriptions answer BAD_USER_INPUT, alike', async (_label, id) => {
    const http = await n.cityA1.admin.request('query($a: ID!) { activity(id: $a) { id } }', { a: id });
    expect(codeOf(http)).toBe('BAD_USER_INPUT');
    expect(http.data?.activity ?? null).toBeNull();
    expect(codeOf(await n.cityA1.admin.request('query($a: ID!) { feed(activityId: $a) { totalCount } }', { a: id }))).toBe('BAD_USER_INPUT');
    const c = client(n.cityA1.admin.token);
    expect(await subscriptionErrorCode(c, STAT, { a: id })).toBe('BAD_USER_INPUT');
    expect(await subscriptionErrorCode(c, FEED, { a: id })).toBe('BAD_USER_INPUT');
    expect(await subscriptionErrorCode(c, ROLLUP, { t: id })).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['sibling tenant', 'cityA1', 'cityA2'],
    ['parent tenant', 'cityA1', 'provA'],
    ['sibling province', 'provB', 'provA'],
  ] as const)('rollup of a %s: HTTP NOT_FOUND, subscription NOT_FOUND', async (_label, who, whose) => {
    expect(codeOf(await n[who].admin.request('query($t: ID!) { rollup(tenantId: $t) { id } }', { t: n[whose].tenantId }))).toBe('NOT_FOUND');
    expect(await subscriptionErrorCode(client(n[who].admin.token), ROLLUP, { t: n[whose].tenantId })).toBe('NOT_FOUND');
  });

  it("a parent's dashboard gets its descendants' events; a sibling's subscription gets nothing", async () => {
    const parent = record(client(n.provA.admin.token), STAT, { a: act.cityA1 });
    const sibling = record(client(n.cityA2.admin.token), STAT, { a: act.cityA2 });
    await parent.until((e) => e.length >= 1);
    await sibling.until((e) => e.length >= 1);
    const siblingBefore = sibling.events.length;
    const value = await increment('cityA1', 2);
    await parent.until((e) => e.some((x) => x.statisticChanged.value === value));
    // the positive control: the sibling's own next event (one of cityA1's, had it leaked, comes before it)
    const own = await increment('cityA2', 1);
    await sibling.until((e) => e.some((x) => x.statisticChanged.value === own));
    expect(sibling.events.slice(siblingBefore).map((x) => x.statisticChanged.id)).toEqual([sibling.events[0].statisticChanged.id]);
    parent.stop();
    sibling.stop();
  });

  it('editors of another tenant cannot post to an activity’s feed', async () => {
    expect(codeOf(await n.provA.admin.request('mutation($a: ID!) { postFeedEntry(input: { activityId: $a, text: "x" }) { id } }', { a: act.cityA1 }))).toBe('FORBIDDEN');
    expect(codeOf(await n.cityA2.admin.request('mutation($a: ID!) { postFeedEntry(input: { activityId: $a, text: "x" }) { id } }', { a: act.cityA1 }))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA1.admin.request('mutation($a: ID!) { postFeedEntry(input: { activityId: $a, text: "   " }) { id } }', { a: act.cityA1 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await n.cityA1.admin.request('mutation($a: ID!, $t: String!) { postFeedEntry(input: { activityId: $a, text: $t }) { id } }', { a: act.cityA1, t: '字'.repeat(2001) }))).toBe('BAD_USER_INPUT');
  });

  it('lists the feed newest first as a connection', async () => {
    for (const text of ['一', '二', '三']) await n.cityA2.admin.run('mutation($a: ID!, $t: String!) { postFeedEntry(input: { activityId: $a, text: $t }) { id } }', { a: act.cityA2, t: text });
    const page = await n.provA.admin.run('query($a: ID!) { feed(activityId: $a, first: 2) { edges { node { text } } pageInfo { hasNextPage endCursor } } }', { a: act.cityA2 });
    expect(page.feed.edges.map((e: any) => e.node.text)).toEqual(['三', '二']);
    const next = await n.provA.admin.run('query($a: ID!, $c: String) { feed(activityId: $a, first: 2, after: $c) { edges { node { text } } } }', { a: act.cityA2, c: page.feed.pageInfo.endCursor });
    expect(next.feed.edges.map((e: any) => e.node.text)).toEqual(['一']);
  });
});

describe('multiplexing', () => {
  it('many subscribers with the same document, variables and scope share one upstream subscription', async () => {
    const bus = t.platform.bus as InProcessBus;
    const upstreamBefore = t.platform.gateway.multiplexer.upstreamCount;
    const listenersBefore = bus.listenerCount('statistic.changed');
    const viewers = Array.from({ length: 25 }, () => record(client(n.provA.admin.token), STAT, { a: act.cityA1 }));
    await Promise.all(viewers.map((v) => v.until((e) => e.length >= 1)));
    expect(t.platform.gateway.multiplexer.upstreamCount).toBe(upstreamBefore + 1);
    expect(bus.listenerCount('statistic.changed')).toBe(listenersBefore + 1);
    const value = await increment('cityA1', 1);
    await Promise.all(viewers.map((v) => v.until((e) => e.some((x) => x.statisticChanged.value === value))));
    // another scope (a different tenant) gets its own upstream
    const other = record(client(n.cityA1.admin.token), STAT, { a: act.cityA1 });
    await other.until((e) => e.length >= 1);
    expect(t.platform.gateway.multiplexer.upstreamCount).toBe(upstreamBefore + 2);
    for (const v of [...viewers, other]) v.stop();
    await waitFor(() => t.platform.gateway.multiplexer.upstreamCount === upstreamBefore);
    await waitFor(() => bus.listenerCount('statistic.changed') === listenersBefore);
  });
});

async function waitFor(predicate: () => boolean, ms = 5000) {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
