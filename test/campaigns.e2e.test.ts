import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { durableEventsSettled } from './helpers/durable';

/** Campaigns through the real gateway: the cascade, activities, statistics, roll-ups, isolation. */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
const ids: Record<string, string> = {};

const CREATE = 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id status } }';
const window = { startsOn: '2024-04-20', endsOn: '2024-04-26' };

async function campaign(key: TreeKey, title: string, implementsId?: string, publish = true) {
  const c = (await n[key].admin.run(CREATE, { i: { title, ...window, focusPoints: ['打击侵权盗版'], implementsId } })).createCampaign;
  if (publish) await n[key].admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: c.id });
  return c.id as string;
}

async function activity(key: TreeKey, campaignId: string, extra: Record<string, unknown> = {}) {
  const r = await n[key].admin.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
    i: { campaignId, title: '开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z', location: '工人文化宫', leadUnitId: n[key].unitId, ...extra },
  });
  return r.createActivity.id as string;
}

const INC = 'mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value indicator } }';
const ROLLUP = 'query($t: ID!, $c: ID) { rollup(tenantId: $t, campaignId: $c) { tenant { id name } campaign { id } totals { indicator value } } }';
const total = (r: any, indicator: string) => r.rollup.totals.find((x: any) => x.indicator === indicator)?.value ?? 0;

beforeAll(async () => {
  t = await startTestPlatform('camp');
  n = await buildTree(t);
  ids.national = await campaign('nation', '全国保护知识产权宣传周');
  ids.nationalDraft = await campaign('nation', '未发布的草案', undefined, false);
  ids.provA = await campaign('provA', '甲省宣传周', ids.national);
  ids.cityA1 = await campaign('cityA1', '甲一市宣传周', ids.provA);
  ids.cityA2 = await campaign('cityA2', '甲二市宣传周', ids.provA);
  ids.provB = await campaign('provB', '乙省宣传周', ids.national);
  ids.actA1 = await activity('cityA1', ids.cityA1);
  ids.actA2 = await activity('cityA2', ids.cityA2);
  ids.actB = await activity('provB', ids.provB);
});
afterAll(async () => {
  await t?.stop();
});

describe('the directive cascade', () => {
  it('a descendant reads the published directives above it, not their internal data nor drafts', async () => {
    const r = await n.cityA1.admin.run('query($id: ID!) { campaign(id: $id) { title implements { title implements { title } } } }', { id: ids.cityA1 });
    expect(r.campaign).toEqual({ title: '甲一市宣传周', implements: { title: '甲省宣传周', implements: { title: '全国保护知识产权宣传周' } } });
    const directive = await n.cityA1.admin.run('query($id: ID!) { campaign(id: $id) { title activities { id } implementations { title } } }', { id: ids.national });
    expect(directive.campaign.activities).toEqual([]);
    expect(directive.campaign.implementations.map((c: any) => c.title).sort()).toEqual(['甲一市宣传周']);
    expect((await n.cityA1.admin.run('query($id: ID!) { campaign(id: $id) { id } }', { id: ids.nationalDraft })).campaign).toBeNull();
  });

  it('the ancestor lists implementations at every level', async () => {
    const r = await n.nation.admin.run('query($id: ID!) { campaign(id: $id) { implementations { title tenant { name } } } }', { id: ids.national });
    expect(r.campaign.implementations.map((c: any) => c.title).sort()).toEqual(['乙省宣传周', '甲一市宣传周', '甲二市宣传周', '甲省宣传周'].sort());
    expect(r.campaign.implementations.find((c: any) => c.title === '甲一市宣传周').tenant.name).toBe('甲一市');
  });

  it('the ancestor sees which direct child tenants have no implementation yet', async () => {
    const directive = await campaign('provA', '甲省专项行动');
    const missing = 'query($t: ID!, $c: ID!) { tenant(id: $t) { childrenWithoutImplementation(campaignId: $c) { name } } }';
    expect((await n.provA.admin.run(missing, { t: n.provA.tenantId, c: directive })).tenant.childrenWithoutImplementation.map((x: any) => x.name).sort()).toEqual(['甲一市', '甲二市'].sort());
    // an implementation two levels down covers the child on its path
    const cityPlan = await campaign('cityA1', '甲一市专项行动', directive);
    await campaign('districtA1', '甲一区专项行动', cityPlan);
    expect((await n.provA.admin.run(missing, { t: n.provA.tenantId, c: directive })).tenant.childrenWithoutImplementation).toEqual([{ name: '甲二市' }]);
    expect((await n.nation.admin.run(missing, { t: n.nation.tenantId, c: ids.national })).tenant.childrenWithoutImplementation).toEqual([]);
    // a sibling sees neither the tenant nor the directive
    expect((await n.provB.admin.request(missing, { t: n.provA.tenantId, c: directive })).data.tenant).toBeNull();
  });

  it.each([
    ['sibling', 'cityA1', 'cityA2'],
    ['sibling province', 'provA', 'provB'],
    ['child', 'cityA1', 'districtA1'],
  ] as const)("may not implement a %s's campaign", async (_l, who, whose) => {
    const target = whose === 'districtA1' ? await campaign('districtA1', '区方案') : ids[whose];
    expect(codeOf(await n[who].admin.request(CREATE, { i: { title: 'x', ...window, implementsId: target } }))).toBe('NOT_FOUND');
  });

  it('checks dates and status moves', async () => {
    expect(codeOf(await n.cityA1.admin.request(CREATE, { i: { title: 'x', startsOn: '2024-04-26', endsOn: '2024-04-20' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await n.cityA1.admin.request(CREATE, { i: { title: 'x', startsOn: '2024-02-30', endsOn: '2024-04-20' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await n.cityA1.admin.request(CREATE, { i: { title: ' ', ...window } }))).toBe('BAD_USER_INPUT');
    const id = await campaign('cityA1', '状态测试', undefined, false);
    const move = 'mutation($id: ID!, $s: CampaignStatus!) { setCampaignStatus(id: $id, status: $s) { status } }';
    expect(codeOf(await n.cityA1.admin.request(move, { id, s: 'CLOSED' }))).toBe('BAD_USER_INPUT');
    for (const s of ['PUBLISHED', 'IN_PROGRESS', 'CLOSED']) expect((await n.cityA1.admin.run(move, { id, s })).setCampaignStatus.status).toBe(s);
    expect(codeOf(await n.cityA1.admin.request(move, { id, s: 'PUBLISHED' }))).toBe('CONFLICT'); // no reopening
    expect(codeOf(await n.provA.admin.request(move, { id: ids.cityA1, s: 'IN_PROGRESS' }))).toBe('FORBIDDEN');
    expect(codeOf(await n.cityA2.admin.request(move, { id: ids.cityA1, s: 'IN_PROGRESS' }))).toBe('NOT_FOUND');
  });
});

describe('activities, tasks, slogans', () => {
  it('lead and supporting units must be the caller’s own', async () => {
    expect(codeOf(await n.cityA1.admin.request('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
      i: { campaignId: ids.cityA1, title: 'x', kind: 'FORUM', startsAt: '2024-04-21T02:00:00Z', leadUnitId: n.cityA2.unitId },
    }))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA1.admin.request('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
      i: { campaignId: ids.cityA1, title: 'x', kind: 'FORUM', startsAt: '2024-04-21T02:00:00Z', supportingUnitIds: [n.districtA1.unitId] },
    }))).toBe('BAD_USER_INPUT');
  });

  it('an activity falls inside the campaign window', async () => {
    expect(codeOf(await n.cityA1.admin.request('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
      i: { campaignId: ids.cityA1, title: 'x', kind: 'FORUM', startsAt: '2024-04-27T02:00:00Z' },
    }))).toBe('BAD_USER_INPUT');
  });

  it('tasks read OVERDUE past their due day; slogans keep their unit', async () => {
    const task = await n.cityA1.admin.run('mutation($i: AssignTaskInput!) { assignTask(input: $i) { id status unit { name } } }', {
      i: { campaignId: ids.cityA1, unitId: n.cityA1.unitId, title: '4月30日前报送总结', dueOn: '2024-04-30' },
    });
    expect(task.assignTask).toMatchObject({ status: 'OVERDUE', unit: { name: '整规办' } });
    expect((await n.cityA1.admin.run('mutation($id: ID!) { completeTask(id: $id) { status } }', { id: task.assignTask.id })).completeTask.status).toBe('DONE');
    const slogan = await n.cityA1.admin.run('mutation($i: AddSloganInput!) { addSlogan(input: $i) { text unit { name } } }', {
      i: { campaignId: ids.cityA1, unitId: n.cityA1.unitId, text: '保护知识产权，打击侵权盗版' },
    });
    expect(slogan.addSlogan).toEqual({ text: '保护知识产权，打击侵权盗版', unit: { name: '整规办' } });
    expect(codeOf(await n.cityA2.admin.request('mutation($id: ID!) { completeTask(id: $id) { status } }', { id: task.assignTask.id }))).toBe('NOT_FOUND');
  });

  it('nested across subgraphs: tenant { campaigns { activities { leadUnit { name } } } }', async () => {
    const r = await n.provA.admin.run('query($id: ID!) { tenant(id: $id) { name campaigns { title activities { title location leadUnit { name tenant { name } } } } } }', { id: n.cityA1.tenantId });
    expect(r.tenant.campaigns[0]).toEqual({ title: '甲一市宣传周', activities: [{ title: '开幕式', location: '工人文化宫', leadUnit: { name: '整规办', tenant: { name: '甲一市' } } }] });
    const sibling = await n.cityA2.admin.run('query($id: ID!) { tenant(id: $id) { campaigns { title } } }', { id: n.cityA1.tenantId });
    expect(sibling.tenant).toBeNull();
    const own = await n.cityA2.admin.run('query($id: ID!) { tenant(id: $id) { parent { campaigns { title } } } }', { id: n.cityA2.tenantId });
    expect(own.tenant.parent.campaigns.map((c: any) => c.title).sort()).toEqual(['甲省专项行动', '甲省宣传周'].sort());
  });
});

describe('statistics and roll-ups', () => {
  it('refuses negative values and reads statistics with approximate', async () => {
    const rec = 'mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { value approximate } }';
    expect(codeOf(await n.cityA1.admin.request(rec, { i: { activityId: ids.actA1, indicator: 'DISPLAY_BOARDS', value: -1 } }))).toBe('BAD_USER_INPUT');
    expect((await n.cityA1.admin.run(rec, { i: { activityId: ids.actA1, indicator: 'DISPLAY_BOARDS', value: 130, approximate: true } })).recordStatistic).toEqual({ value: 130, approximate: true });
    expect((await n.cityA1.admin.run(rec, { i: { activityId: ids.actA1, indicator: 'DISPLAY_BOARDS', value: 120 } })).recordStatistic).toEqual({ value: 120, approximate: false });
    expect(codeOf(await n.cityA1.admin.request(INC, { i: { activityId: ids.actA1, indicator: 'SIGNATURES', by: 0 } }))).toBe('BAD_USER_INPUT');
  });

  it('only the activity’s own tenant writes it: sibling NOT_FOUND, parent FORBIDDEN', async () => {
    expect(codeOf(await n.cityA2.admin.request(INC, { i: { activityId: ids.actA1, indicator: 'SIGNATURES', by: 1 } }))).toBe('NOT_FOUND');
    expect(codeOf(await n.provA.admin.request(INC, { i: { activityId: ids.actA1, indicator: 'SIGNATURES', by: 1 } }))).toBe('FORBIDDEN');
    expect(codeOf(await n.cityA1.admin.request(INC, { i: { activityId: '999999', indicator: 'SIGNATURES', by: 1 } }))).toBe('NOT_FOUND');
    expect(await n.cityA2.admin.run('query($id: ID!) { activity(id: $id) { id } }', { id: ids.actA1 })).toEqual({ activity: null });
  });

  it('loses no concurrent increment, and a repeated idempotency key adds once with the same answer', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => n.cityA1.admin.run(INC, { i: { activityId: ids.actA1, indicator: 'SIGNATURES', by: 5 } })));
    expect(Math.max(...results.map((r) => r.incrementStatistic.value))).toBe(200);
    const once = { activityId: ids.actA1, indicator: 'SIGNATURES', by: 7, idempotencyKey: 'venue-retry-1' };
    const [a, b] = await Promise.all([n.cityA1.admin.run(INC, { i: once }), n.cityA1.admin.run(INC, { i: once })]);
    const c = await n.cityA1.admin.run(INC, { i: once });
    expect(a.incrementStatistic.value).toBe(207);
    expect(b.incrementStatistic.value).toBe(207);
    expect(c.incrementStatistic.value).toBe(207);
    const stats = await n.cityA1.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: ids.actA1 });
    expect(stats.activity.statistics.find((s: any) => s.indicator === 'SIGNATURES').value).toBe(207);
  });

  it('rolls up the subtree, per directive, and refuses a sibling or ancestor tenant', async () => {
    await n.cityA2.admin.run(INC, { i: { activityId: ids.actA2, indicator: 'SIGNATURES', by: 100 } });
    await n.provB.admin.run(INC, { i: { activityId: ids.actB, indicator: 'SIGNATURES', by: 1000 } });
    expect(total(await n.cityA1.admin.run(ROLLUP, { t: n.cityA1.tenantId }), 'SIGNATURES')).toBe(207);
    expect(total(await n.provA.admin.run(ROLLUP, { t: n.provA.tenantId }), 'SIGNATURES')).toBe(307);
    expect(total(await n.nation.admin.run(ROLLUP, { t: n.nation.tenantId }), 'SIGNATURES')).toBe(1307);
    expect(total(await n.nation.admin.run(ROLLUP, { t: n.nation.tenantId, c: ids.provA }), 'SIGNATURES')).toBe(307);
    expect(total(await n.nation.admin.run(ROLLUP, { t: n.provA.tenantId, c: ids.national }), 'SIGNATURES')).toBe(307);
    const named = await n.provA.admin.run(ROLLUP, { t: n.cityA1.tenantId, c: ids.national });
    expect(named.rollup.tenant.name).toBe('甲一市');
    expect(codeOf(await n.cityA1.admin.request(ROLLUP, { t: n.cityA2.tenantId }))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA1.admin.request(ROLLUP, { t: n.provA.tenantId }))).toBe('NOT_FOUND');
    expect(codeOf(await n.provB.admin.request(ROLLUP, { t: n.provA.tenantId }))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA1.admin.request(ROLLUP, { t: n.cityA1.tenantId, c: ids.provB }))).toBe('NOT_FOUND');
    expect(codeOf(await t.root.request(ROLLUP, { t: n.nation.tenantId }))).toBe('FORBIDDEN');
  });

  it('keeps every roll-up equal to a recount of the raw statistics after a random concurrent workload', async () => {
    const writers: [TreeKey, string][] = [['cityA1', ids.actA1], ['cityA2', ids.actA2], ['provB', ids.actB]];
    const indicators = ['SIGNATURES', 'VISITORS', 'MATERIALS_DISTRIBUTED'];
    const ops = Array.from({ length: 120 }, (_, i) => {
      const [key, activityId] = writers[i % writers.length];
      const indicator = indicators[(i * 7) % indicators.length];
      return i % 9 === 0
        ? n[key].admin.run('mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { value } }', { i: { activityId, indicator, value: (i * 13) % 500 } })
        : n[key].admin.run(INC, { i: { activityId, indicator, by: 1 + (i % 4) } });
    });
    await Promise.all(ops);
    const campaigns = t.platform.services.find((s) => s.name === 'campaigns')!.dataSource;
    const stats: { tenant_path: string; value: number; indicator: string; campaign_id: number }[] = await campaigns.query('SELECT tenant_path, value, indicator, campaign_id FROM statistics');
    const paths: { id: number; directive_path: string }[] = await campaigns.query('SELECT id, directive_path FROM campaigns');
    const rollups: { tenant_path: string; directive_id: number; indicator: string; value: number }[] = await campaigns.query('SELECT tenant_path, directive_id, indicator, value FROM rollup_totals');
    expect(rollups.length).toBeGreaterThan(10);
    for (const row of rollups) {
      const recount = stats
        .filter((s) => s.tenant_path.startsWith(row.tenant_path) && s.indicator === row.indicator)
        .filter((s) => Number(row.directive_id) === 0 || paths.find((p) => p.id === Number(s.campaign_id))!.directive_path.includes(`/${row.directive_id}/`))
        .reduce((sum, s) => sum + Number(s.value), 0);
      expect({ ...row, value: Number(row.value) }).toEqual({ ...row, value: recount });
    }
  });
});

describe('distribution events from media', () => {
  it('count toward MATERIALS_DISTRIBUTED once per event, under the distributing tenant', async () => {
    const path = (await t.platform.services[0].dataSource.query('SELECT tenant_path FROM tenants WHERE id = ?', [Number(n.cityA1.tenantId)]))[0].tenant_path;
    const event = { eventId: `e-${Date.now()}`, assetId: 1, activityId: Number(ids.actA1), quantity: 250, tenantId: Number(n.cityA1.tenantId), tenantPath: path, userId: '1' };
    const read = async () => {
      const r = await n.cityA1.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: ids.actA1 });
      return r.activity.statistics.find((s: any) => s.indicator === 'MATERIALS_DISTRIBUTED')?.value ?? 0;
    };
    const before = await read();
    await t.platform.log.append('distribution.recorded', [{ eventId: event.eventId, event }]);
    await t.platform.log.append('distribution.recorded', [{ eventId: event.eventId, event }]); // delivered twice
    const started = Date.now();
    while ((await read()) !== before + 250 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
    await durableEventsSettled(); // both deliveries applied: the second cannot count later
    expect(await read()).toBe(before + 250);
  });
});
