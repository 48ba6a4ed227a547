import { GraphQLClient } from '@cascade/app';
import { Topic } from '@cascade/kernel';
import { Client } from 'graphql-ws';
import { PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { Recorded, record, subscriptionErrorCode, wsClient } from './helpers/ws';

/**
 * Issue 11 item 5: `reportChanged(tenantId)` through the real gateway over graphql-ws — a board
 * follows every report below a tenant as it is submitted, returned and accepted, its fields
 * resolved by reports under the subscriber's own scope; nobody follows a tenant outside its
 * subtree, and a report the subscriber may not read never reaches it, not even as an error.
 * The tree (helpers/tree.ts) plus districtA2 under cityA2, so the sibling has a child of its own.
 */
let t: TestPlatform;
let n: Record<TreeKey | 'districtA2', Pick<TreeNode, 'tenantId' | 'admin'>>;
const clients: Client[] = [];
/** The subscriptions a test opened: stopped after it, and their listeners gone before the next starts. */
let open: Recorded<Event>[] = [];

const LIVE = 'subscription($t: ID!) { reportChanged(tenantId: $t) { id title status returnReason tenant { id } campaign { id } } }';
const SUBMIT = 'mutation($id: ID!) { submitReport(input: { id: $id, acknowledgeMissing: true }) { id status } }';
const RETURN = 'mutation($id: ID!, $r: String!) { returnReport(input: { id: $id, reason: $r }) { id status } }';
const ACCEPT = 'mutation($id: ID!) { acceptReport(id: $id) { id status } }';

interface Event {
  reportChanged: { id: string; title: string; status: string; returnReason: string | null; tenant: { id: string }; campaign: { id: string } };
}

function client(token: string | null) {
  const c = wsClient(t.platform.gateway.url, token);
  clients.push(c);
  return c;
}

/** Handlers on the bus's topic in this process: one per upstream subscription the feeds service holds (plus the test's own). */
const listeners = () => (t.platform.bus as unknown as { listenerCount(topic: Topic): number }).listenerCount('report.changed');
/**
 * The test's own handler, held for the whole file: on Redis the channel is then subscribed once,
 * before any test (RedisBus.subscribe resolves after SUBSCRIBE), so a feeds listener counted is
 * a listener that receives.
 */
let holdChannel: () => void = () => undefined;

/**
 * Subscribes and resolves once the feeds service listens for it (reportChanged has no first
 * event to wait for): an event published after this is the subscriber's to receive.
 */
async function follow(who: GraphQLClient, tenantId: string): Promise<Recorded<Event>> {
  const before = listeners();
  const live = record<Event>(client(who.token), LIVE, { t: tenantId });
  open.push(live);
  const started = Date.now();
  while (listeners() <= before) {
    if (live.errors.length) throw new Error(`subscription refused: ${JSON.stringify(live.errors)}`);
    if (Date.now() - started > 5000) throw new Error('the subscription never reached the feeds service');
    await new Promise((r) => setTimeout(r, 20));
  }
  return live;
}

/** A campaign of the tenant with its generated DRAFT report: [campaignId, reportId, title]. */
async function draft(key: keyof typeof n, title: string): Promise<{ campaignId: string; reportId: string; title: string }> {
  const admin = n[key].admin;
  const c = await admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
    i: { title, theme: '保护知识产权，促进创新发展', focusPoints: [], startsOn: '2024-04-20', endsOn: '2024-04-26' },
  });
  const campaignId = c.createCampaign.id as string;
  await admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: campaignId });
  const r = await admin.run('mutation($id: ID!) { generateReport(campaignId: $id) { id title status } }', { id: campaignId });
  expect(r.generateReport.status).toBe('DRAFT');
  return { campaignId, reportId: r.generateReport.id, title: r.generateReport.title };
}

const submit = async (key: keyof typeof n, reportId: string) => expect((await n[key].admin.run(SUBMIT, { id: reportId })).submitReport.status).toBe('SUBMITTED');
const statuses = (events: Event[]) => events.map((e) => `${e.reportChanged.id}:${e.reportChanged.status}`);

beforeAll(async () => {
  t = await startTestPlatform('replive');
  const tree = await buildTree(t);
  const created = await t.root.run('mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name: '甲二区', level: 'DISTRICT', parentId: tree.cityA2.tenantId } });
  await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId: created.createTenant.id, email: 'admin@districta2.test', name: '甲二区管理员', password: PASSWORD, role: 'ADMIN' },
  });
  n = { ...tree, districtA2: { tenantId: created.createTenant.id, admin: await t.signIn('admin@districta2.test') } };
  holdChannel = await t.platform.bus.subscribe('report.changed', () => undefined);
}, 120_000);

afterEach(async () => {
  for (const s of open) s.stop();
  open = [];
  const started = Date.now();
  while (listeners() > 1 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  holdChannel();
  for (const c of clients) await c.dispose();
  await t?.stop();
});

describe('reportChanged: a board follows the reporting below it', () => {
  it('the parent gets a child’s report as it is submitted, returned, resubmitted and accepted, with its fields; the grandparent too', async () => {
    const report = await draft('cityA1', '2024年甲一市保护知识产权宣传周');
    const parent = await follow(n.provA.admin, n.provA.tenantId);
    const grandparent = await follow(n.nation.admin, n.nation.tenantId);
    // a descendant of the subscriber's own tenant may be followed too
    const middle = await follow(n.nation.admin, n.provA.tenantId);

    await submit('cityA1', report.reportId);
    const [first] = await parent.until((e) => e.length >= 1);
    expect(first.reportChanged).toEqual({ id: report.reportId, title: report.title, status: 'SUBMITTED', returnReason: null, tenant: { id: n.cityA1.tenantId }, campaign: { id: report.campaignId } });

    expect((await n.provA.admin.run(RETURN, { id: report.reportId, r: '请补充观展人次' })).returnReport.status).toBe('RETURNED');
    const returned = await parent.until((e) => e.length >= 2);
    expect(returned[1].reportChanged).toMatchObject({ id: report.reportId, status: 'RETURNED', returnReason: '请补充观展人次' });

    await submit('cityA1', report.reportId);
    await parent.until((e) => e.length >= 3);
    expect((await n.provA.admin.run(ACCEPT, { id: report.reportId })).acceptReport.status).toBe('ACCEPTED');
    const all = await parent.until((e) => e.length >= 4);
    const expected = ['SUBMITTED', 'RETURNED', 'SUBMITTED', 'ACCEPTED'].map((s) => `${report.reportId}:${s}`);
    expect(statuses(all)).toEqual(expected);
    expect(all[3].reportChanged).toMatchObject({ status: 'ACCEPTED', title: report.title, tenant: { id: n.cityA1.tenantId } });
    for (const other of [grandparent, middle]) expect(statuses(await other.until((e) => e.length >= 4))).toEqual(expected);
    for (const s of [parent, grandparent, middle]) expect(s.errors).toEqual([]);
  });

  it('a sibling following its own tenant gets nothing of it (its own child’s report, sent later, arrives first)', async () => {
    const cityReport = await draft('cityA1', '甲一市知识产权执法专项行动');
    const childReport = await draft('districtA2', '甲二区保护知识产权宣传周');
    const sibling = await follow(n.cityA2.admin, n.cityA2.tenantId);
    const parent = await follow(n.provA.admin, n.provA.tenantId);

    await submit('cityA1', cityReport.reportId);
    await parent.until((e) => e.some((x) => x.reportChanged.id === cityReport.reportId));
    // the positive control: one bus, one order — had the sibling been sent cityA1's event, it would come before this one
    await submit('districtA2', childReport.reportId);
    const events = await sibling.until((e) => e.length >= 1);
    expect(statuses(events)).toEqual([`${childReport.reportId}:SUBMITTED`]);
    expect(events[0].reportChanged.tenant.id).toBe(n.districtA2.tenantId);
    await parent.until((e) => e.some((x) => x.reportChanged.id === childReport.reportId));
    expect(sibling.errors).toEqual([]);
  });

  it('only reports strictly below the followed tenant: not the tenant’s own (its child’s, sent later, arrives first)', async () => {
    const own = await draft('cityA1', '甲一市知识产权宣传进企业');
    const child = await draft('districtA1', '甲一区知识产权宣传进社区');
    const city = await follow(n.cityA1.admin, n.cityA1.tenantId);

    await submit('cityA1', own.reportId); // sent up to provA: the city's own report is not below the city
    await submit('districtA1', child.reportId);
    const events = await city.until((e) => e.length >= 1);
    expect(statuses(events)).toEqual([`${child.reportId}:SUBMITTED`]);
    expect((await n.cityA1.admin.run(ACCEPT, { id: child.reportId })).acceptReport.status).toBe('ACCEPTED');
    await city.until((e) => e.length >= 2);
    expect(statuses(city.events)).toEqual([`${child.reportId}:SUBMITTED`, `${child.reportId}:ACCEPTED`]);
    expect(city.errors).toEqual([]);
  });
});

describe('reportChanged: who may follow which tenant', () => {
  it.each([
    ['a child following its parent', 'districtA1', 'cityA1'],
    ['a child following its grandparent', 'districtA1', 'provA'],
    ['a sibling', 'cityA2', 'cityA1'],
    ['another province', 'provB', 'provA'],
    ["a sibling's child", 'districtA2', 'districtA1'],
  ] as const)('%s is refused with NOT_FOUND', async (_label, who, whose) => {
    expect(await subscriptionErrorCode(client(n[who].admin.token), LIVE, { t: n[whose].tenantId })).toBe('NOT_FOUND');
  });

  it.each(['999999', '2147483647'])('a forged tenant id %p is NOT_FOUND', async (id) => {
    expect(await subscriptionErrorCode(client(n.provA.admin.token), LIVE, { t: id })).toBe('NOT_FOUND');
  });

  it.each(['x', '0', '2147483648', '1\u0000'])('a malformed tenant id %p is BAD_USER_INPUT', async (id) => {
    expect(await subscriptionErrorCode(client(n.provA.admin.token), LIVE, { t: id })).toBe('BAD_USER_INPUT');
  });

  it('root is a member of no tenant: FORBIDDEN', async () => {
    expect(await subscriptionErrorCode(client(t.root.token), LIVE, { t: n.provA.tenantId })).toBe('FORBIDDEN');
  });

  it('a screen link, even of that very tenant’s board, cannot follow reports (FORBIDDEN)', async () => {
    const link = await n.provA.admin.run('mutation($i: CreateScreenLinkInput!) { createScreenLink(input: $i) { url } }', { i: { tenantId: n.provA.tenantId } });
    const token = link.createScreenLink.url.split('/').pop() as string;
    expect(await subscriptionErrorCode(client(token), LIVE, { t: n.provA.tenantId })).toBe('FORBIDDEN');
  });

  it('over HTTP it answers 400 BAD_REQUEST in JSON, never a stream, like every subscription', async () => {
    for (const accept of ['text/event-stream', 'multipart/mixed', 'application/json']) {
      const res = await fetch(t.platform.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${n.provA.admin.token}` },
        body: JSON.stringify({ query: LIVE, variables: { t: n.provA.tenantId } }),
        signal: AbortSignal.timeout(5000),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect((await res.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    }
  });
});
