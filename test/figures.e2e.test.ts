import { codeOf, PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { record, wsClient } from './helpers/ws';

/**
 * Issue 12: figures that tell the truth. Approximate roll-ups kept in the roll-up rows, activity
 * targets, closed campaigns lock their statistics. Through the real gateway (HTTP and graphql-ws).
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
const ids: Record<string, string> = {};
const clients: { dispose(): unknown }[] = [];

const window = { startsOn: '2024-04-20', endsOn: '2024-04-26' };
const REC = 'mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { value approximate } }';
const INC = 'mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value approximate } }';
const ROLLUP = 'query($t: ID!, $c: ID) { rollup(tenantId: $t, campaignId: $c) { totals { indicator value approximate } } }';
const CREATE_ACTIVITY = 'mutation($i: CreateActivityInput!) { createActivity(input: $i) { id targets { indicator value } } }';
const MOVE = 'mutation($id: ID!, $s: CampaignStatus!) { setCampaignStatus(id: $id, status: $s) { status closedAt closedBy { id email } } }';

async function campaign(key: TreeKey, title: string, implementsId?: string) {
  const c = await n[key].admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i: { title, ...window, implementsId } });
  await n[key].admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: c.createCampaign.id });
  return c.createCampaign.id as string;
}

async function activity(key: TreeKey, campaignId: string, extra: Record<string, unknown> = {}) {
  const r = await n[key].admin.run(CREATE_ACTIVITY, { i: { campaignId, title: '开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z', ...extra } });
  return r.createActivity.id as string;
}

/** The PARTICIPANTS total as `who` reads it at `tenant` (optionally for a directive). */
async function participants(who: TreeKey, tenant: TreeKey, campaignId?: string) {
  const r = await n[who].admin.run(ROLLUP, { t: n[tenant].tenantId, c: campaignId });
  return r.rollup.totals.find((x: any) => x.indicator === 'PARTICIPANTS') ?? null;
}

beforeAll(async () => {
  t = await startTestPlatform('figures');
  n = await buildTree(t);
  ids.national = await campaign('nation', '全国保护知识产权宣传周');
  ids.provA = await campaign('provA', '甲省宣传周', ids.national);
  ids.cityA1 = await campaign('cityA1', '甲一市宣传周', ids.provA);
  ids.cityA2 = await campaign('cityA2', '甲二市宣传周', ids.provA);
  ids.actA1 = await activity('cityA1', ids.cityA1);
  ids.actA2 = await activity('cityA2', ids.cityA2);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await t?.stop();
});

describe('IndicatorTotal.approximate (item 1)', () => {
  it('an approximate figure keeps its 余 at the activity’s tenant and two levels up, and in the directive roll-up', async () => {
    expect((await n.cityA1.admin.run(REC, { i: { activityId: ids.actA1, indicator: 'PARTICIPANTS', value: 3600, approximate: true } })).recordStatistic).toEqual({ value: 3600, approximate: true });
    for (const tenant of ['cityA1', 'provA', 'nation'] as const) {
      expect(await participants(tenant, tenant)).toEqual({ indicator: 'PARTICIPANTS', value: 3600, approximate: true });
    }
    expect(await participants('nation', 'nation', ids.national)).toEqual({ indicator: 'PARTICIPANTS', value: 3600, approximate: true });
    expect(await participants('provA', 'cityA1', ids.provA)).toEqual({ indicator: 'PARTICIPANTS', value: 3600, approximate: true });
  });

  it('an exact figure beside it: the sum is approximate where the approximate one is counted, exact elsewhere', async () => {
    await n.cityA2.admin.run(REC, { i: { activityId: ids.actA2, indicator: 'PARTICIPANTS', value: 400 } });
    expect(await participants('cityA2', 'cityA2')).toEqual({ indicator: 'PARTICIPANTS', value: 400, approximate: false });
    expect(await participants('provA', 'provA')).toEqual({ indicator: 'PARTICIPANTS', value: 4000, approximate: true });
    expect(await participants('nation', 'nation', ids.national)).toEqual({ indicator: 'PARTICIPANTS', value: 4000, approximate: true });
  });

  it('a live increment on an approximate figure keeps it approximate', async () => {
    expect((await n.cityA1.admin.run(INC, { i: { activityId: ids.actA1, indicator: 'PARTICIPANTS', by: 5 } })).incrementStatistic).toEqual({ value: 3605, approximate: true });
    expect(await participants('nation', 'nation')).toEqual({ indicator: 'PARTICIPANTS', value: 4005, approximate: true });
    expect(await participants('cityA1', 'cityA1', ids.cityA1)).toEqual({ indicator: 'PARTICIPANTS', value: 3605, approximate: true });
  });

  it('counts contributors: one turning exact leaves the total approximate while another is; the last one makes it exact', async () => {
    await n.cityA2.admin.run(REC, { i: { activityId: ids.actA2, indicator: 'PARTICIPANTS', value: 400, approximate: true } });
    await n.cityA2.admin.run(REC, { i: { activityId: ids.actA2, indicator: 'PARTICIPANTS', value: 400, approximate: true } }); // again: counted once
    await n.cityA1.admin.run(REC, { i: { activityId: ids.actA1, indicator: 'PARTICIPANTS', value: 3605, approximate: false } });
    expect(await participants('cityA1', 'cityA1')).toEqual({ indicator: 'PARTICIPANTS', value: 3605, approximate: false });
    expect(await participants('provA', 'provA')).toEqual({ indicator: 'PARTICIPANTS', value: 4005, approximate: true });
    expect(await participants('nation', 'nation', ids.national)).toEqual({ indicator: 'PARTICIPANTS', value: 4005, approximate: true });
    await n.cityA2.admin.run(REC, { i: { activityId: ids.actA2, indicator: 'PARTICIPANTS', value: 400, approximate: false } });
    for (const tenant of ['cityA2', 'provA', 'nation'] as const) {
      expect((await participants(tenant, tenant))?.approximate).toBe(false);
    }
    expect((await participants('nation', 'nation', ids.national))?.approximate).toBe(false);
  });

  it('rollupChanged carries approximate, at the activity’s tenant, two levels up and for the directive', async () => {
    const sub = 'subscription($t: ID!, $c: ID) { rollupChanged(tenantId: $t, campaignId: $c) { totals { indicator value approximate } } }';
    const boards = [
      ['cityA1', 'cityA1', undefined],
      ['provA', 'provA', undefined],
      ['nation', 'nation', undefined],
      ['nation', 'nation', ids.national],
    ] as const;
    const recorded = boards.map(([who, tenant, c]) => {
      const client = wsClient(t.platform.gateway.url, n[who].admin.token);
      clients.push(client);
      return record(client, sub, { t: n[tenant].tenantId, c });
    });
    const part = (e: any) => e.rollupChanged.totals.find((x: any) => x.indicator === 'PARTICIPANTS');
    for (const r of recorded) await r.until((events) => events.length >= 1 && part(events[0])?.approximate === false);
    await n.cityA1.admin.run(REC, { i: { activityId: ids.actA1, indicator: 'PARTICIPANTS', value: 3600, approximate: true } });
    for (const r of recorded) await r.until((events) => part(events.at(-1)!)?.approximate === true);
    expect(part(recorded[2].events.at(-1)!)).toEqual({ indicator: 'PARTICIPANTS', value: 4000, approximate: true });
    await n.cityA1.admin.run(INC, { i: { activityId: ids.actA1, indicator: 'PARTICIPANTS', by: 1 } });
    for (const r of recorded) await r.until((events) => part(events.at(-1)!)?.value > 3600);
    expect(recorded.map((r) => part(r.events.at(-1)!).approximate)).toEqual([true, true, true, true]);
    recorded.forEach((r) => r.stop());
  });

  it.each([
    ['a sibling', 'cityA2', 'cityA1'],
    ['a child', 'districtA1', 'cityA1'],
    ['a sibling province', 'provB', 'provA'],
  ] as const)('%s reads neither the totals nor their approximate flag', async (_label, who, whose) => {
    expect(codeOf(await n[who].admin.request(ROLLUP, { t: n[whose].tenantId }))).toBe('NOT_FOUND');
    expect(codeOf(await n[who].admin.request(ROLLUP, { t: n[whose].tenantId, c: ids.national }))).toBe('NOT_FOUND');
  });

  it('the parent reads its child’s; a forged tenant or directive id answers NOT_FOUND', async () => {
    expect((await participants('provA', 'cityA1'))?.approximate).toBe(true);
    for (const forged of ['999999', `${n.cityA1.tenantId}0`]) {
      expect(codeOf(await n.provA.admin.request(ROLLUP, { t: forged }))).toBe('NOT_FOUND');
      expect(codeOf(await n.provA.admin.request(ROLLUP, { t: n.provA.tenantId, c: forged }))).toBe('NOT_FOUND');
    }
    for (const malformed of ['-1', 'abc']) expect(codeOf(await n.provA.admin.request(ROLLUP, { t: malformed }))).toBe('BAD_USER_INPUT');
  });

  it('a sibling cannot subscribe to the roll-up', async () => {
    const client = wsClient(t.platform.gateway.url, n.cityA2.admin.token);
    clients.push(client);
    const r = record(client, 'subscription($t: ID!) { rollupChanged(tenantId: $t) { totals { approximate } } }', { t: n.cityA1.tenantId });
    await new Promise<void>((resolve) => {
      const check = () => (r.errors.length || r.completed || r.events.some((e) => e.rollupChanged === null) ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(r.events.filter((e) => e.rollupChanged?.totals?.length)).toEqual([]);
    r.stop();
  });

  it('every roll-up row’s approximate count equals a recount of the approximate statistics it counts', async () => {
    const campaigns = t.platform.services.find((s) => s.name === 'campaigns')!.dataSource!;
    const rows: any[] = await campaigns.query('SELECT tenant_path, directive_id, indicator, approximate_count FROM rollup_totals');
    const stats: any[] = await campaigns.query('SELECT s.tenant_path, s.indicator, s.approximate, c.directive_path FROM statistics s JOIN campaigns c ON c.id = s.campaign_id');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const recount = stats
        .filter((s) => s.tenant_path.startsWith(row.tenant_path) && s.indicator === row.indicator && Boolean(Number(s.approximate)))
        .filter((s) => Number(row.directive_id) === 0 || s.directive_path.includes(`/${row.directive_id}/`)).length;
      expect({ ...row, approximate_count: Number(row.approximate_count) }).toEqual({ ...row, approximate_count: recount });
    }
  });
});

describe('Activity.targets (item 2)', () => {
  const sign = { title: '万人签名', kind: 'SIGNATURE_DRIVE', startsAt: '2024-04-21T02:00:00Z' };

  it('set at createActivity, read back in order given', async () => {
    const r = await n.cityA1.admin.run(CREATE_ACTIVITY, { i: { campaignId: ids.cityA1, ...sign, targets: [{ indicator: 'SIGNATURES', value: 10000 }, { indicator: 'PARTICIPANTS', value: 1 }] } });
    ids.drive = r.createActivity.id;
    expect(r.createActivity.targets).toEqual([{ indicator: 'SIGNATURES', value: 10000 }, { indicator: 'PARTICIPANTS', value: 1 }]);
    const read = await n.cityA1.admin.run('query($id: ID!) { activity(id: $id) { targets { indicator value } } }', { id: ids.drive });
    expect(read.activity.targets).toEqual([{ indicator: 'SIGNATURES', value: 10000 }, { indicator: 'PARTICIPANTS', value: 1 }]);
    expect((await n.cityA1.admin.run('query($id: ID!) { activity(id: $id) { targets { value } } }', { id: ids.actA1 })).activity.targets).toEqual([]);
  });

  it.each([
    ['a duplicate indicator', [{ indicator: 'SIGNATURES', value: 10 }, { indicator: 'SIGNATURES', value: 20 }]],
    ['0', [{ indicator: 'SIGNATURES', value: 0 }]],
    ['a negative value', [{ indicator: 'SIGNATURES', value: -5 }]],
    ['a value above 1,000,000,000', [{ indicator: 'SIGNATURES', value: 1_000_000_001 }]],
    ['more than 20', Array.from({ length: 21 }, (_, i) => ({ indicator: ['SIGNATURES', 'PARTICIPANTS', 'VISITORS'][i % 3], value: i + 1 }))],
  ])('%s answers BAD_USER_INPUT and writes nothing', async (_label, targets) => {
    const count = async () => (await n.cityA1.admin.run('query($id: ID!) { campaign(id: $id) { activities { id } } }', { id: ids.cityA1 })).campaign.activities.length;
    const before = await count();
    expect(codeOf(await n.cityA1.admin.request(CREATE_ACTIVITY, { i: { campaignId: ids.cityA1, ...sign, targets } }))).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
  });

  it('the bounds themselves are accepted: 1,000,000,000 and 20 targets', async () => {
    const all = ['PARTICIPANTS', 'SIGNATURES', 'VISITORS', 'DISPLAY_BOARDS', 'BANNERS', 'MATERIALS_DISTRIBUTED', 'CONSULTATIONS', 'CONSULTATION_POINTS', 'PUBLICITY_VEHICLES', 'ENTERPRISES_TRAINED',
      'TRAINEES', 'ENFORCEMENT_OFFICERS', 'BUSINESSES_INSPECTED', 'CASES_FILED', 'ITEMS_CONFISCATED', 'MEDIA_REPORTS', 'PRESS_CONFERENCES', 'UNITS_ATTENDING', 'ENTERPRISES_ATTENDING', 'COMPLAINTS_RECEIVED'];
    const targets = all.map((indicator, i) => ({ indicator, value: i === 0 ? 1_000_000_000 : i }));
    expect((await n.cityA1.admin.run(CREATE_ACTIVITY, { i: { campaignId: ids.cityA1, ...sign, targets } })).createActivity.targets).toEqual(targets);
  });

  it('the parent and the grandparent read them; a sibling, a child and a forged id read nothing', async () => {
    const q = 'query($id: ID!) { activity(id: $id) { targets { indicator value } } }';
    for (const who of ['provA', 'nation'] as const) {
      expect((await n[who].admin.run(q, { id: ids.drive })).activity.targets[0]).toEqual({ indicator: 'SIGNATURES', value: 10000 });
    }
    for (const who of ['cityA2', 'districtA1', 'provB'] as const) expect((await n[who].admin.run(q, { id: ids.drive })).activity).toBeNull();
    for (const forged of ['999999', `${ids.drive}0`]) expect((await n.cityA1.admin.run(q, { id: forged })).activity).toBeNull();
  });

  it('an editor may not set targets on another tenant’s campaign', async () => {
    expect(codeOf(await n.provA.admin.request(CREATE_ACTIVITY, { i: { campaignId: ids.cityA1, ...sign, targets: [{ indicator: 'SIGNATURES', value: 10 }] } }))).toBe('FORBIDDEN');
    expect(codeOf(await n.cityA2.admin.request(CREATE_ACTIVITY, { i: { campaignId: ids.cityA1, ...sign, targets: [{ indicator: 'SIGNATURES', value: 10 }] } }))).toBe('NOT_FOUND');
  });
});

describe('closed campaigns lock their statistics (item 4)', () => {
  beforeAll(async () => {
    ids.closing = await campaign('districtA1', '甲一区宣传周', ids.cityA1);
    ids.closingAct = await activity('districtA1', ids.closing);
    ids.openAct = await activity('districtA1', await campaign('districtA1', '甲一区另一方案'));
    await n.districtA1.admin.run(REC, { i: { activityId: ids.closingAct, indicator: 'SIGNATURES', value: 326 } });
    await n.districtA1.admin.run(MOVE, { id: ids.closing, s: 'IN_PROGRESS' });
  });

  it('closing records who closed it and when', async () => {
    const before = Date.now();
    const r = (await n.districtA1.admin.run(MOVE, { id: ids.closing, s: 'CLOSED' })).setCampaignStatus;
    const me = (await n.districtA1.admin.run('{ me { id email } }')).me;
    expect(r).toMatchObject({ status: 'CLOSED', closedBy: me });
    expect(new Date(r.closedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(r.closedAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const open = await n.cityA1.admin.run('query($id: ID!) { campaign(id: $id) { closedAt closedBy { id } } }', { id: ids.cityA1 });
    expect(open.campaign).toEqual({ closedAt: null, closedBy: null });
  });

  it('recordStatistic and incrementStatistic answer CONFLICT, and the value stays', async () => {
    expect(codeOf(await n.districtA1.admin.request(REC, { i: { activityId: ids.closingAct, indicator: 'SIGNATURES', value: 400 } }))).toBe('CONFLICT');
    expect(codeOf(await n.districtA1.admin.request(INC, { i: { activityId: ids.closingAct, indicator: 'SIGNATURES', by: 1 } }))).toBe('CONFLICT');
    expect(codeOf(await n.districtA1.admin.request(INC, { i: { activityId: ids.closingAct, indicator: 'VISITORS', by: 1, idempotencyKey: 'late' } }))).toBe('CONFLICT');
    const stats = await n.districtA1.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: ids.closingAct });
    expect(stats.activity.statistics).toEqual([{ indicator: 'SIGNATURES', value: 326 }]); // no VISITORS row half-written
  });

  it('concurrent increments racing the close: every one either counted or refused with CONFLICT, none lost', async () => {
    const race = await campaign('districtA1', '甲一区竞速');
    const act = await activity('districtA1', race);
    await n.districtA1.admin.run(MOVE, { id: race, s: 'IN_PROGRESS' });
    const sends = Array.from({ length: 40 }, (_, i) => n.districtA1.admin.request(INC, { i: { activityId: act, indicator: 'VISITORS', by: 1, idempotencyKey: `race-${i}` } }));
    const close = n.districtA1.admin.run(MOVE, { id: race, s: 'CLOSED' });
    const answers = await Promise.all(sends);
    await close;
    expect(answers.map(codeOf).filter((c) => c !== 'NONE' && c !== 'CONFLICT')).toEqual([]);
    const counted = answers.filter((a) => codeOf(a) === 'NONE').length;
    const stats = await n.districtA1.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: act });
    expect(stats.activity.statistics.find((s: any) => s.indicator === 'VISITORS')?.value ?? 0).toBe(counted);
    expect(codeOf(await n.districtA1.admin.request(INC, { i: { activityId: act, indicator: 'VISITORS', by: 1 } }))).toBe('CONFLICT');
  });

  it('a distribution event for a closed campaign’s activity is not counted', async () => {
    const campaigns = t.platform.services.find((s) => s.name === 'campaigns')!;
    const path = `${(await t.platform.services[0].dataSource!.query('SELECT tenant_path FROM tenants WHERE id = ?', [Number(n.districtA1.tenantId)]))[0].tenant_path}`;
    const event = (activityId: string, eventId: string) => ({ eventId, assetId: 1, activityId: Number(activityId), quantity: 250, tenantId: Number(n.districtA1.tenantId), tenantPath: path, userId: '1' });
    const deliver = (e: ReturnType<typeof event>) => t.platform.log.append('distribution.recorded', [{ eventId: e.eventId, event: e }]);
    const materials = async (activityId: string) => {
      const r = await n.districtA1.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: activityId });
      return r.activity.statistics.find((s: any) => s.indicator === 'MATERIALS_DISTRIBUTED')?.value ?? 0;
    };
    expect(campaigns).toBeDefined();
    await deliver(event(ids.closingAct, `closed-${Date.now()}`));
    await deliver(event(ids.openAct, `open-${Date.now()}`)); // the positive control, after it
    const started = Date.now();
    while ((await materials(ids.openAct)) !== 250 && Date.now() - started < 10000) await new Promise((r) => setTimeout(r, 50));
    expect(await materials(ids.openAct)).toBe(250);
    expect(await materials(ids.closingAct)).toBe(0);
  });

  it('no reopening: going back answers CONFLICT; skipping a step BAD_USER_INPUT', async () => {
    for (const s of ['DRAFT', 'PUBLISHED', 'IN_PROGRESS', 'CLOSED']) expect(codeOf(await n.districtA1.admin.request(MOVE, { id: ids.closing, s }))).toBe('CONFLICT');
    const fresh = await campaign('districtA1', '甲一区跳步');
    expect(codeOf(await n.districtA1.admin.request(MOVE, { id: fresh, s: 'CLOSED' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await n.districtA1.admin.request(MOVE, { id: fresh, s: 'DRAFT' }))).toBe('CONFLICT');
  });

  it('only an editor of the owning tenant closes: parent and child (which reads it as a directive) FORBIDDEN, sibling and forged id NOT_FOUND, viewer FORBIDDEN', async () => {
    const target = await campaign('cityA1', '甲一市待关闭');
    expect(codeOf(await n.provA.admin.request(MOVE, { id: target, s: 'IN_PROGRESS' }))).toBe('FORBIDDEN');
    expect(codeOf(await n.cityA2.admin.request(MOVE, { id: target, s: 'IN_PROGRESS' }))).toBe('NOT_FOUND');
    expect(codeOf(await n.districtA1.admin.request(MOVE, { id: target, s: 'IN_PROGRESS' }))).toBe('FORBIDDEN');
    expect(codeOf(await n.cityA1.admin.request(MOVE, { id: '999999', s: 'IN_PROGRESS' }))).toBe('NOT_FOUND');
    await n.cityA1.admin.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { tenantId: n.cityA1.tenantId, email: 'viewer@citya1-figures.test', name: '查看员', password: PASSWORD, role: 'VIEWER' },
    });
    const viewer = await t.signIn('viewer@citya1-figures.test');
    expect(codeOf(await viewer.request(MOVE, { id: target, s: 'IN_PROGRESS' }))).toBe('FORBIDDEN');
    const read = await n.cityA1.admin.run('query($id: ID!) { campaign(id: $id) { status } }', { id: target });
    expect(read.campaign.status).toBe('PUBLISHED');
  });

  it('closedAt and closedBy: the parent reads them; a sibling, a child of another line and a forged id read nothing', async () => {
    const q = 'query($id: ID!) { campaign(id: $id) { status closedAt closedBy { email } } }';
    const parent = await n.cityA1.admin.run(q, { id: ids.closing });
    expect(parent.campaign).toMatchObject({ status: 'CLOSED', closedBy: { email: 'admin@districta1.test' } });
    expect(parent.campaign.closedAt).toEqual(expect.any(String));
    for (const who of ['cityA2', 'provB'] as const) expect((await n[who].admin.run(q, { id: ids.closing })).campaign).toBeNull();
    expect((await n.districtA1.admin.run(q, { id: '999999' })).campaign).toBeNull();
  });

  it('a child reads a closed directive above it, but not who closed it', async () => {
    await n.cityA1.admin.run(MOVE, { id: ids.cityA1, s: 'IN_PROGRESS' });
    await n.cityA1.admin.run(MOVE, { id: ids.cityA1, s: 'CLOSED' });
    const child = await n.districtA1.admin.run('query($id: ID!) { campaign(id: $id) { status closedBy { email } } }', { id: ids.cityA1 });
    expect(child.campaign).toEqual({ status: 'CLOSED', closedBy: null });
    // the child's own campaign implementing it is open: its statistics still count
    const open = await campaign('districtA1', '甲一区续', ids.provA);
    const act = await activity('districtA1', open);
    expect((await n.districtA1.admin.run(INC, { i: { activityId: act, indicator: 'VISITORS', by: 2 } })).incrementStatistic.value).toBe(2);
  });
});
