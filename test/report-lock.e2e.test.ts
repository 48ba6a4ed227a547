import { Claims, querySubgraph } from '@cascade/kernel';
import { codeOf, PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { wsClient } from './helpers/ws';

/**
 * API.md: statistics of a campaign whose report is SUBMITTED or ACCEPTED are locked. Reports
 * sets the lock with campaigns' setStatisticsLock, a mutation composed into the supergraph but
 * @inaccessible: clients cannot ask for it through the gateway, only a subgraph signing the
 * caller's claims can (here the test signs them, as reports' querySubgraph does). Statistic
 * writes go through the real gateway.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let editor: TreeNode['admin'];
const ids: Record<string, string> = {};
const clients: { dispose(): unknown }[] = [];

const window = { startsOn: '2024-04-20', endsOn: '2024-04-26' };
const LOCK = 'mutation($id: ID!, $locked: Boolean!) { setStatisticsLock(campaignId: $id, locked: $locked) }';
const REC = 'mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { value } }';
const INC = 'mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value } }';
const LOCKED = 'query($id: ID!) { campaign(id: $id) { status statisticsLocked } }';
const ROLLUP = 'query($t: ID!, $c: ID) { rollup(tenantId: $t, campaignId: $c) { totals { indicator value } } }';
const MOVE = 'mutation($id: ID!, $s: CampaignStatus!) { setCampaignStatus(id: $id, status: $s) { status } }';

const service = (name: string) => t.platform.services.find((s) => s.name === name)!;

async function campaign(key: TreeKey, title: string, implementsId?: string) {
  const c = await n[key].admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i: { title, ...window, implementsId } });
  await n[key].admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: c.createCampaign.id });
  return c.createCampaign.id as string;
}

async function activity(key: TreeKey, campaignId: string) {
  const r = await n[key].admin.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
    i: { campaignId, title: '开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z' },
  });
  return r.createActivity.id as string;
}

/** The claims the gateway signs for a signed-in client (what reports passes on as its caller's). */
async function claimsOf(client: TreeNode['admin']): Promise<Claims> {
  const { me } = await client.run('{ me { id role tenant { id } } }');
  const [row] = await service('org').dataSource.query('SELECT tenant_path FROM tenants WHERE id = ?', [Number(me.tenant.id)]);
  return { userId: me.id, tenantId: me.tenant.id, tenantPath: row.tenant_path, role: me.role, root: false };
}

/** setStatisticsLock sent straight to the campaigns subgraph, signed for `who` (as reports calls it). */
async function setLock(who: TreeNode['admin'], campaignId: string, locked: boolean) {
  return querySubgraph<{ setStatisticsLock: boolean }>(
    { url: service('campaigns').url, secret: t.config.INTERNAL_SECRET!, claims: await claimsOf(who) },
    LOCK,
    { id: campaignId, locked },
  );
}

const lockCode = (answer: { errors: { extensions?: { code?: string } }[] }) => answer.errors[0]?.extensions?.code ?? 'NONE';

async function value(activityId: string, indicator: string) {
  const r = await n.cityA1.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: activityId });
  return r.activity.statistics.find((s: { indicator: string }) => s.indicator === indicator)?.value ?? 0;
}

async function total(who: TreeKey, tenant: TreeKey, indicator: string, campaignId?: string) {
  const r = await n[who].admin.run(ROLLUP, { t: n[tenant].tenantId, c: campaignId });
  return r.rollup.totals.find((x: { indicator: string }) => x.indicator === indicator)?.value ?? 0;
}

beforeAll(async () => {
  t = await startTestPlatform('reportlock');
  n = await buildTree(t);
  ids.national = await campaign('nation', '全国宣传周');
  ids.provA = await campaign('provA', '甲省宣传周', ids.national);
  ids.cityA1 = await campaign('cityA1', '甲一市宣传周', ids.provA);
  ids.act = await activity('cityA1', ids.cityA1);
  ids.other = await activity('cityA1', await campaign('cityA1', '甲一市另一方案'));
  await n.cityA1.admin.run(REC, { i: { activityId: ids.act, indicator: 'PARTICIPANTS', value: 100 } });
  await n.cityA1.admin.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId: n.cityA1.tenantId, email: 'editor@citya1-reportlock.test', name: '编辑', password: PASSWORD, role: 'EDITOR' },
  });
  editor = await t.signIn('editor@citya1-reportlock.test');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.stop();
});

describe('setStatisticsLock is not part of the public API', () => {
  it('the gateway answers GRAPHQL_VALIDATION_FAILED over HTTP, and nothing is locked', async () => {
    const r = await n.cityA1.admin.request(LOCK, { id: ids.cityA1, locked: true });
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.data ?? null).toBeNull();
    expect((await n.cityA1.admin.run(LOCKED, { id: ids.cityA1 })).campaign.statisticsLocked).toBe(false);
  });

  it('the gateway answers GRAPHQL_VALIDATION_FAILED over graphql-ws too', async () => {
    const client = wsClient(t.platform.gateway.url, n.cityA1.admin.token);
    clients.push(client);
    const errors = await new Promise<any[]>((resolve) => {
      client.subscribe({ query: LOCK, variables: { id: ids.cityA1, locked: true } }, {
        next: (v) => resolve([...(v.errors ?? [])]),
        error: (e) => resolve(Array.isArray(e) ? e : [e]),
        complete: () => resolve([]),
      });
    });
    expect(errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await n.cityA1.admin.run(LOCKED, { id: ids.cityA1 })).campaign.statisticsLocked).toBe(false);
  });

  it('introspection of the API schema does not name it', async () => {
    const r = await n.cityA1.admin.request('{ __type(name: "Mutation") { fields { name } } }');
    const names = (r.data?.__type?.fields ?? []).map((f: { name: string }) => f.name);
    expect(names).toContain('recordStatistic'); // the positive control: introspection answers here
    expect(names).not.toContain('setStatisticsLock');
  });
});

describe('locked statistics', () => {
  it('the campaign’s admin locks them: statisticsLocked reads true for it and the tenants above', async () => {
    const answer = await setLock(n.cityA1.admin, ids.cityA1, true);
    expect(answer.errors).toEqual([]);
    expect(answer.data).toEqual({ setStatisticsLock: true });
    for (const who of ['cityA1', 'provA', 'nation'] as const) {
      expect((await n[who].admin.run(LOCKED, { id: ids.cityA1 })).campaign).toEqual({ status: 'PUBLISHED', statisticsLocked: true });
    }
    expect((await n.cityA1.admin.run(LOCKED, { id: ids.provA })).campaign.statisticsLocked).toBe(false); // the directive above is not
  });

  it('recordStatistic and incrementStatistic answer CONFLICT over the gateway, and nothing changes', async () => {
    const attempts = [
      await n.cityA1.admin.request(REC, { i: { activityId: ids.act, indicator: 'PARTICIPANTS', value: 400 } }),
      await n.cityA1.admin.request(INC, { i: { activityId: ids.act, indicator: 'PARTICIPANTS', by: 1 } }),
      await n.cityA1.admin.request(INC, { i: { activityId: ids.act, indicator: 'VISITORS', by: 1, idempotencyKey: 'while-locked' } }),
      await editor.request(INC, { i: { activityId: ids.act, indicator: 'PARTICIPANTS', by: 5 } }),
    ];
    for (const r of attempts) {
      expect(codeOf(r)).toBe('CONFLICT');
      expect(r.errors![0].message).toMatch(/report has been submitted: its statistics are locked/);
    }
    const stats = await n.cityA1.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: ids.act });
    expect(stats.activity.statistics).toEqual([{ indicator: 'PARTICIPANTS', value: 100 }]); // no VISITORS row half-written
    expect(await total('nation', 'nation', 'PARTICIPANTS', ids.national)).toBe(100);
    // the same campaign's other records are not statistics: they still change
    expect(codeOf(await n.cityA1.admin.request('mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { title } }', { i: { id: ids.act, title: '启动仪式' } }))).toBe('NONE');
  });

  it('another campaign of the same tenant is not locked', async () => {
    expect((await n.cityA1.admin.run(INC, { i: { activityId: ids.other, indicator: 'PARTICIPANTS', by: 3 } })).incrementStatistic.value).toBe(3);
  });

  it('a distribution event for the locked campaign’s activity is not counted', async () => {
    const path = (await claimsOf(n.cityA1.admin)).tenantPath!;
    const event = (activityId: string, eventId: string) => ({ eventId, assetId: 1, activityId: Number(activityId), quantity: 250, tenantId: Number(n.cityA1.tenantId), tenantPath: path, userId: '1' });
    const deliver = (e: ReturnType<typeof event>) => t.platform.log.append('distribution.recorded', [{ eventId: e.eventId, event: e }]);
    await deliver(event(ids.act, `locked-${Date.now()}`));
    await deliver(event(ids.other, `open-${Date.now()}`)); // the positive control, after it
    const started = Date.now();
    while ((await value(ids.other, 'MATERIALS_DISTRIBUTED')) !== 250 && Date.now() - started < 10000) await new Promise((r) => setTimeout(r, 50));
    expect(await value(ids.other, 'MATERIALS_DISTRIBUTED')).toBe(250);
    expect(await value(ids.act, 'MATERIALS_DISTRIBUTED')).toBe(0);
  });

  it('the parent’s admin unlocks them (a returned report): writes work again', async () => {
    const answer = await setLock(n.provA.admin, ids.cityA1, false);
    expect(answer).toEqual({ data: { setStatisticsLock: false }, errors: [] });
    expect((await n.cityA1.admin.run(LOCKED, { id: ids.cityA1 })).campaign.statisticsLocked).toBe(false);
    expect((await n.cityA1.admin.run(INC, { i: { activityId: ids.act, indicator: 'PARTICIPANTS', by: 1 } })).incrementStatistic.value).toBe(101);
    expect((await n.cityA1.admin.run(REC, { i: { activityId: ids.act, indicator: 'PARTICIPANTS', value: 120 } })).recordStatistic.value).toBe(120);
    expect(await total('nation', 'nation', 'PARTICIPANTS', ids.national)).toBe(120);
  });

  it('a tenant two levels up may lock too (an ancestor), and locking twice is harmless', async () => {
    expect((await setLock(n.nation.admin, ids.cityA1, true)).data).toEqual({ setStatisticsLock: true });
    expect((await setLock(n.cityA1.admin, ids.cityA1, true)).data).toEqual({ setStatisticsLock: true });
    expect(codeOf(await n.cityA1.admin.request(INC, { i: { activityId: ids.act, indicator: 'PARTICIPANTS', by: 1 } }))).toBe('CONFLICT');
    expect((await setLock(n.nation.admin, ids.cityA1, false)).data).toEqual({ setStatisticsLock: false });
    expect((await n.cityA1.admin.run(INC, { i: { activityId: ids.act, indicator: 'PARTICIPANTS', by: 1 } })).incrementStatistic.value).toBe(121);
  });
});

describe('who may lock', () => {
  it('an editor of the campaign’s tenant: FORBIDDEN', async () => {
    expect(lockCode(await setLock(editor, ids.cityA1, true))).toBe('FORBIDDEN');
  });

  it('a sibling’s admin and another province’s: NOT_FOUND (they cannot read it)', async () => {
    expect(lockCode(await setLock(n.cityA2.admin, ids.cityA1, true))).toBe('NOT_FOUND');
    expect(lockCode(await setLock(n.provB.admin, ids.cityA1, true))).toBe('NOT_FOUND');
  });

  it('a child’s admin cannot lock its parent’s directive (it reads it): FORBIDDEN', async () => {
    expect(lockCode(await setLock(n.districtA1.admin, ids.cityA1, true))).toBe('FORBIDDEN');
    expect(lockCode(await setLock(n.cityA1.admin, ids.provA, true))).toBe('FORBIDDEN');
  });

  it('a forged campaign id: NOT_FOUND', async () => {
    expect(lockCode(await setLock(n.cityA1.admin, '999999', true))).toBe('NOT_FOUND');
    expect(lockCode(await setLock(n.cityA1.admin, '0', true))).toMatch(/NOT_FOUND|BAD_USER_INPUT/);
  });

  it('none of the refusals locked anything', async () => {
    for (const id of [ids.cityA1, ids.provA]) expect((await n.cityA1.admin.run(LOCKED, { id })).campaign.statisticsLocked).toBe(false);
    expect((await n.cityA1.admin.run(INC, { i: { activityId: ids.act, indicator: 'PARTICIPANTS', by: 1 } })).incrementStatistic.value).toBe(122);
  });
});

describe('a lock racing increments', () => {
  it('every increment is either counted or CONFLICT; the value and the roll-ups equal what was counted; nothing changes once the lock has answered', async () => {
    const race = await campaign('cityA1', '甲一市竞速');
    const act = await activity('cityA1', race);
    let lockedAt: number | null = null; // when setStatisticsLock answered
    const outcomes: { code: string; value?: number; sentAt: number }[] = [];
    // a stream of increments from 12 concurrent senders (several requests in flight in every
    // group-commit batch); each stops at its first increment sent after the lock answered
    const sender = async (s: number) => {
      for (let i = 0; ; i++) {
        const sentAt = Date.now();
        const r = await n.cityA1.admin.request(INC, { i: { activityId: act, indicator: 'SIGNATURES', by: 1, idempotencyKey: `race-${s}-${i}` } });
        outcomes.push({ code: codeOf(r), value: r.data?.incrementStatistic?.value, sentAt });
        if (lockedAt !== null && sentAt > lockedAt) return;
      }
    };
    const senders = Array.from({ length: 12 }, (_, s) => sender(s));
    // lock once the stream is well under way
    while (outcomes.filter((o) => o.code === 'NONE').length < 30) await new Promise((r) => setTimeout(r, 5));
    const answer = await setLock(n.cityA1.admin, race, true);
    lockedAt = Date.now();
    expect(answer.data).toEqual({ setStatisticsLock: true });
    // once the lock has answered the value is frozen: increments in flight then (past their
    // early check) were either committed before it or refused inside their own transaction
    const atLock = await value(act, 'SIGNATURES');
    await Promise.all(senders);

    expect(outcomes.map((o) => o.code).filter((c) => c !== 'NONE' && c !== 'CONFLICT')).toEqual([]);
    const counted = outcomes.filter((o) => o.code === 'NONE');
    expect(counted.length).toBeGreaterThanOrEqual(30);
    // no increment sent after the lock answered was counted
    expect(outcomes.filter((o) => o.sentAt > lockedAt! && o.code !== 'CONFLICT')).toEqual([]);
    expect(outcomes.filter((o) => o.sentAt > lockedAt!).length).toBe(12);
    // no lost and no phantom increment: each counted one answered its own value, 1..counted
    expect(counted.map((o) => o.value).sort((a, b) => a! - b!)).toEqual(Array.from({ length: counted.length }, (_, i) => i + 1));
    expect(await value(act, 'SIGNATURES')).toBe(counted.length);
    expect(counted.length).toBe(atLock);
    expect(await total('cityA1', 'cityA1', 'SIGNATURES', race)).toBe(counted.length);
    expect(await total('provA', 'cityA1', 'SIGNATURES', race)).toBe(counted.length);

    // unlocked, the same stream counts again from there
    await setLock(n.cityA1.admin, race, false);
    expect((await n.cityA1.admin.run(INC, { i: { activityId: act, indicator: 'SIGNATURES', by: 1 } })).incrementStatistic.value).toBe(counted.length + 1);
  });
});

describe('statisticsLocked and a CLOSED campaign', () => {
  it('reads true once CLOSED, whatever the report lock says; CLOSED still answers its own CONFLICT', async () => {
    const closing = await campaign('cityA1', '甲一市待关闭');
    const act = await activity('cityA1', closing);
    await n.cityA1.admin.run(MOVE, { id: closing, s: 'IN_PROGRESS' });
    await n.cityA1.admin.run(MOVE, { id: closing, s: 'CLOSED' });
    expect((await n.cityA1.admin.run(LOCKED, { id: closing })).campaign).toEqual({ status: 'CLOSED', statisticsLocked: true });
    expect((await setLock(n.cityA1.admin, closing, false)).data).toEqual({ setStatisticsLock: false });
    expect((await n.cityA1.admin.run(LOCKED, { id: closing })).campaign.statisticsLocked).toBe(true);
    const r = await n.cityA1.admin.request(INC, { i: { activityId: act, indicator: 'SIGNATURES', by: 1 } });
    expect(codeOf(r)).toBe('CONFLICT');
    expect(r.errors![0].message).toMatch(/CLOSED/);
  });
});
