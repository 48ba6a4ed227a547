import { GraphQLClient } from '@cascade/app';
import { Client } from 'graphql-ws';
import { codeOf, PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { record, subscriptionErrorCode, wsClient } from './helpers/ws';

/**
 * Issue 9, the campaigns items: large statistics and totals (SafeInt, the 1,000,000,000 bound),
 * roll-ups of tenants that have recorded nothing yet, idempotency keys used with other
 * arguments, and bounded list inputs. Everything through the real gateway.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
const clients: Client[] = [];
const BILLION = 1_000_000_000;

const REC = 'mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { id value } }';
const INC = 'mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { id value indicator activity { id } } }';
const ROLLUP = 'query($t: ID!, $c: ID) { rollup(tenantId: $t, campaignId: $c) { tenant { id name } totals { indicator value } children { tenant { id name } totals { indicator value } } } }';
const ROLLUP_SUB = 'subscription($t: ID!, $c: ID) { rollupChanged(tenantId: $t, campaignId: $c) { tenant { name } totals { indicator value } } }';
const STAT_SUB = 'subscription($a: ID!) { statisticChanged(activityId: $a) { indicator value } }';
const ACTIVITY = 'mutation($i: CreateActivityInput!) { createActivity(input: $i) { id supportingUnits { id } } }';

const total = (rollup: any, indicator: string) => rollup.totals.find((x: any) => x.indicator === indicator)?.value ?? 0;

function client(token: string | null) {
  const c = wsClient(t.platform.gateway.url, token);
  clients.push(c);
  return c;
}

/** A child tenant with its own ADMIN, made by the parent's admin. */
async function childTenant(parent: GraphQLClient, parentId: string, name: string, level: string) {
  const tenant = (await parent.run('mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name, level, parentId } })).createTenant.id as string;
  const email = `admin-${tenant}@hostile.test`;
  await parent.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { tenantId: tenant, email, name: `${name}管理员`, password: PASSWORD, role: 'ADMIN' } });
  return { tenantId: tenant, admin: await t.signIn(email) };
}

/** A campaign (implementing `implementsId` when given) with one activity. */
async function campaignWithActivity(admin: GraphQLClient, implementsId?: string) {
  const campaign = (await admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
    i: { title: '宣传周', startsOn: '2024-04-20', endsOn: '2024-04-26', implementsId },
  })).createCampaign.id as string;
  await admin.run('mutation($id: ID!) { publishCampaign(id: $id) { id } }', { id: campaign });
  const activity = (await admin.run(ACTIVITY, { i: { campaignId: campaign, title: '万人签名', kind: 'SIGNATURE_DRIVE', startsAt: '2024-04-21T02:00:00Z' } })).createActivity.id as string;
  return { campaign, activity };
}

async function statisticValue(admin: GraphQLClient, activityId: string, indicator: string): Promise<number | undefined> {
  const r = await admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: activityId });
  return r.activity.statistics.find((s: any) => s.indicator === indicator)?.value;
}

beforeAll(async () => {
  t = await startTestPlatform('camph');
  n = await buildTree(t, '-h');
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await t?.stop();
});

describe('item 10: large statistics and totals', () => {
  let cityCampaign: string;
  const districts: { tenantId: string; admin: GraphQLClient; activity: string }[] = [];

  beforeAll(async () => {
    cityCampaign = (await campaignWithActivity(n.cityA2.admin)).campaign;
    for (const name of ['东区', '西区', '北区']) {
      const d = await childTenant(n.cityA2.admin, n.cityA2.tenantId, name, 'DISTRICT');
      districts.push({ ...d, activity: (await campaignWithActivity(d.admin, cityCampaign)).activity });
    }
  });

  it('three sibling districts recording 1,000,000,000 each give their city a total of 3,000,000,000, over HTTP and over graphql-ws', async () => {
    const city = record(client(n.cityA2.admin.token), ROLLUP_SUB, { t: n.cityA2.tenantId });
    await city.until((e) => e.length >= 1);
    const stat = record(client(districts[0].admin.token), STAT_SUB, { a: districts[0].activity });
    for (const d of districts) {
      const r = await d.admin.run(REC, { i: { activityId: d.activity, indicator: 'VISITORS', value: BILLION } });
      expect(r.recordStatistic.value).toBe(BILLION);
    }
    const rollup = (await n.cityA2.admin.run(ROLLUP, { t: n.cityA2.tenantId })).rollup;
    expect(total(rollup, 'VISITORS')).toBe(3 * BILLION);
    expect(rollup.children.map((c: any) => total(c, 'VISITORS'))).toEqual([BILLION, BILLION, BILLION]);
    expect(total((await n.nation.admin.run(ROLLUP, { t: n.nation.tenantId })).rollup, 'VISITORS')).toBe(3 * BILLION);
    expect(total((await n.provA.admin.run(ROLLUP, { t: n.provA.tenantId, c: cityCampaign })).rollup, 'VISITORS')).toBe(3 * BILLION);
    await city.until((e) => e.some((x) => total(x.rollupChanged, 'VISITORS') === 3 * BILLION));
    await stat.until((e) => e.some((x) => x.statisticChanged.indicator === 'VISITORS' && x.statisticChanged.value === BILLION));
    city.stop();
    stat.stop();
  });

  it('refuses a recorded value above 1,000,000,000 and changes nothing', async () => {
    const d = districts[1];
    const refused = await d.admin.request(REC, { i: { activityId: d.activity, indicator: 'VISITORS', value: BILLION + 1 } });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].extensions!.field).toBe('value');
    expect(await statisticValue(d.admin, d.activity, 'VISITORS')).toBe(BILLION);
  });

  it('refuses an increment whose result would pass 1,000,000,000; the value stays', async () => {
    const d = districts[0];
    const refused = await d.admin.request(INC, { i: { activityId: d.activity, indicator: 'VISITORS', by: 1, idempotencyKey: 'over-the-top' } });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(codeOf(await d.admin.request(INC, { i: { activityId: d.activity, indicator: 'SIGNATURES', by: BILLION + 1 } }))).toBe('BAD_USER_INPUT');
    expect(await statisticValue(d.admin, d.activity, 'VISITORS')).toBe(BILLION);
    expect(total((await n.cityA2.admin.run(ROLLUP, { t: n.cityA2.tenantId })).rollup, 'VISITORS')).toBe(3 * BILLION);
  });

  it('checks the bound inside the group commit: of concurrent increments only those that fit are applied', async () => {
    const d = districts[2];
    await d.admin.run(REC, { i: { activityId: d.activity, indicator: 'PARTICIPANTS', value: BILLION - 10 } });
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => d.admin.request(INC, { i: { activityId: d.activity, indicator: 'PARTICIPANTS', by: 1 } })),
    );
    const applied = answers.filter((a) => !a.errors).map((a) => a.data.incrementStatistic.value);
    expect(applied.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => BILLION - 9 + i));
    expect(answers.filter((a) => a.errors).map(codeOf)).toEqual(Array(20).fill('BAD_USER_INPUT'));
    expect(await statisticValue(d.admin, d.activity, 'PARTICIPANTS')).toBe(BILLION);
    expect(total((await n.cityA2.admin.run(ROLLUP, { t: n.cityA2.tenantId })).rollup, 'PARTICIPANTS')).toBe(BILLION);
  });

  it('a total past 2^53-1 (some nine million statistics at the bound) still serialises, held at the largest SafeInt', async () => {
    const campaigns = t.platform.services.find((s) => s.name === 'campaigns')!.dataSource;
    const where = "WHERE tenant_id = ? AND directive_id = 0 AND indicator = 'VISITORS'";
    await campaigns.query(`UPDATE rollup_totals SET value = 1152921504606846976 ${where}`, [Number(n.cityA2.tenantId)]); // 2^60
    try {
      const rollup = (await n.cityA2.admin.run(ROLLUP, { t: n.cityA2.tenantId })).rollup;
      expect(total(rollup, 'VISITORS')).toBe(Number.MAX_SAFE_INTEGER);
    } finally {
      await campaigns.query(`UPDATE rollup_totals SET value = ${3 * BILLION} ${where}`, [Number(n.cityA2.tenantId)]);
    }
  });
});

describe('item 11: the roll-up of a visible tenant that has recorded nothing', () => {
  let fresh: { tenantId: string; admin: GraphQLClient };
  let street: { tenantId: string; admin: GraphQLClient };
  let provACampaign: string;

  beforeAll(async () => {
    provACampaign = (await campaignWithActivity(n.provA.admin)).campaign;
    fresh = await childTenant(n.cityA1.admin, n.cityA1.tenantId, '新区', 'DISTRICT');
    street = await childTenant(fresh.admin, fresh.tenantId, '新街道', 'STREET');
  });

  it.each([
    ['itself', () => fresh.admin, () => fresh.tenantId],
    ['its parent city', () => n.cityA1.admin, () => fresh.tenantId],
    ['the nation, three levels up', () => n.nation.admin, () => fresh.tenantId],
    ['the fresh district, about its own child street', () => fresh.admin, () => street.tenantId],
  ])('answers empty totals to %s', async (_label, who, whose) => {
    const r = await who().run(ROLLUP, { t: whose() });
    expect(r.rollup).toMatchObject({ tenant: { id: whose() }, totals: [] });
    const directive = await who().request(ROLLUP, { t: whose(), c: provACampaign });
    expect(directive.errors).toBeUndefined();
    expect(directive.data.rollup.totals).toEqual([]);
  });

  it('lists every direct child tenant on the board, those with nothing recorded included', async () => {
    const r = await n.cityA1.admin.run(ROLLUP, { t: n.cityA1.tenantId });
    expect(r.rollup.children.map((c: any) => c.tenant.id)).toEqual([n.districtA1.tenantId, fresh.tenantId]);
    expect(r.rollup.children.map((c: any) => c.totals)).toEqual([[], []]);
    const board = await fresh.admin.run(ROLLUP, { t: fresh.tenantId });
    expect(board.rollup.children).toEqual([{ tenant: { id: street.tenantId, name: '新街道' }, totals: [] }]);
    expect((await street.admin.run(ROLLUP, { t: street.tenantId })).rollup.children).toEqual([]);
  });

  it('opens a rollupChanged subscription and a screen link for the fresh tenant; the first event is the empty roll-up, then the first record', async () => {
    const s = record(client(n.cityA1.admin.token), ROLLUP_SUB, { t: fresh.tenantId });
    const [first] = await s.until((e) => e.length >= 1);
    expect(first.rollupChanged).toEqual({ tenant: { name: '新区' }, totals: [] });
    const link = await n.cityA1.admin.request('mutation($t: ID!) { createScreenLink(input: { tenantId: $t }) { tenant { id } } }', { t: fresh.tenantId });
    expect(link.errors).toBeUndefined();
    const { activity } = await campaignWithActivity(street.admin);
    await street.admin.run(INC, { i: { activityId: activity, indicator: 'SIGNATURES', by: 12 } });
    await s.until((e) => e.some((x) => total(x.rollupChanged, 'SIGNATURES') === 12));
    s.stop();
  });

  // well-formed ids that name no tenant (malformed and out-of-range ids are the input guard's: BAD_USER_INPUT)
  const forged = [['a nonexistent id', '999999'], ['the largest id', '2147483647']];

  it.each([
    ['a sibling city', 'cityA2'],
    ['a sibling province', 'provB'],
    ['a child, about its parent', 'districtA1'],
  ] as const)('answers NOT_FOUND to %s exactly as to a nonexistent id, over HTTP and graphql-ws', async (_label, who) => {
    const nonexistent = await n[who].admin.request(ROLLUP, { t: '999999' });
    expect(codeOf(nonexistent)).toBe('NOT_FOUND');
    for (const target of [fresh.tenantId, street.tenantId]) {
      const answer = await n[who].admin.request(ROLLUP, { t: target });
      expect(answer.errors!.map((e) => [e.message, e.extensions!.code])).toEqual(nonexistent.errors!.map((e) => [e.message, e.extensions!.code]));
      expect(await subscriptionErrorCode(client(n[who].admin.token), ROLLUP_SUB, { t: target })).toBe('NOT_FOUND');
    }
  });

  it('answers NOT_FOUND to the fresh district about its parent city and its own ancestors', async () => {
    for (const target of [n.cityA1.tenantId, n.provA.tenantId, n.nation.tenantId]) {
      expect(codeOf(await fresh.admin.request(ROLLUP, { t: target }))).toBe('NOT_FOUND');
    }
    expect(codeOf(await street.admin.request(ROLLUP, { t: fresh.tenantId }))).toBe('NOT_FOUND');
  });

  it.each(forged)('answers NOT_FOUND for %s', async (_label, id) => {
    expect(codeOf(await n.nation.admin.request(ROLLUP, { t: id }))).toBe('NOT_FOUND');
    expect(await subscriptionErrorCode(client(n.nation.admin.token), ROLLUP_SUB, { t: id })).toBe('NOT_FOUND');
  });

  it('the platform operator has no scope over campaign data', async () => {
    expect(codeOf(await t.root.request(ROLLUP, { t: fresh.tenantId }))).toBe('FORBIDDEN');
  });
});

describe('item 12: an idempotency key belongs to one increment', () => {
  let first: string;
  let second: string;

  beforeAll(async () => {
    const campaign = (await campaignWithActivity(n.provB.admin));
    first = campaign.activity;
    second = (await n.provB.admin.run(ACTIVITY, { i: { campaignId: campaign.campaign, title: '咨询', kind: 'CONSULTATION', startsAt: '2024-04-22T02:00:00Z' } })).createActivity.id;
  });

  it('the same key twice adds once and answers the same; used with another activity, indicator or amount it answers CONFLICT and changes nothing', async () => {
    const args = { activityId: first, indicator: 'SIGNATURES', by: 5, idempotencyKey: 'venue-7' };
    const once = (await n.provB.admin.run(INC, { i: args })).incrementStatistic;
    expect(once.value).toBe(5);
    expect((await n.provB.admin.run(INC, { i: args })).incrementStatistic).toEqual(once);
    for (const other of [{ activityId: second }, { indicator: 'VISITORS' }, { by: 6 }]) {
      const answer = await n.provB.admin.request(INC, { i: { ...args, ...other } });
      expect(codeOf(answer)).toBe('CONFLICT');
    }
    expect(await n.provB.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: second })).toEqual({ activity: { statistics: [] } });
    expect(await n.provB.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: first })).toEqual({ activity: { statistics: [{ indicator: 'SIGNATURES', value: 5 }] } });
  });

  it('concurrent requests with one key and the same arguments add once', async () => {
    const args = { activityId: first, indicator: 'SIGNATURES', by: 3, idempotencyKey: 'burst-same' };
    const answers = await Promise.all(Array.from({ length: 12 }, () => n.provB.admin.run(INC, { i: args })));
    expect(new Set(answers.map((a) => a.incrementStatistic.value))).toEqual(new Set([8]));
    expect(await statisticValue(n.provB.admin, first, 'SIGNATURES')).toBe(8);
  });

  it('concurrent requests with one key and different arguments: one wins, the others answer CONFLICT', async () => {
    const variants = [
      { activityId: first, indicator: 'SIGNATURES', by: 1 },
      { activityId: first, indicator: 'SIGNATURES', by: 2 },
      { activityId: first, indicator: 'VISITORS', by: 4 },
      { activityId: second, indicator: 'SIGNATURES', by: 8 },
    ];
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => n.provB.admin.request(INC, { i: { ...variants[i % 4], idempotencyKey: 'burst-mixed' } })),
    );
    const winners = answers.map((a, i) => (a.errors ? null : variants[i % 4])).filter(Boolean);
    expect(answers.filter((a) => a.errors).map(codeOf).every((c) => c === 'CONFLICT')).toBe(true);
    expect(new Set(winners.map((w) => JSON.stringify(w))).size).toBe(1);
    const winner = winners[0]!;
    const added = { signatures: 0, visitors: 0, second: 0 };
    if (winner.activityId === second) added.second = winner.by;
    else if (winner.indicator === 'VISITORS') added.visitors = winner.by;
    else added.signatures = winner.by;
    expect(await statisticValue(n.provB.admin, first, 'SIGNATURES')).toBe(8 + added.signatures);
    expect((await statisticValue(n.provB.admin, first, 'VISITORS')) ?? 0).toBe(added.visitors);
    expect((await statisticValue(n.provB.admin, second, 'SIGNATURES')) ?? 0).toBe(added.second);
  });

  it('a key is per tenant: another tenant may use the same key for its own increment', async () => {
    const { activity } = await campaignWithActivity(n.cityA1.admin);
    const r = await n.cityA1.admin.run(INC, { i: { activityId: activity, indicator: 'SIGNATURES', by: 2, idempotencyKey: 'venue-7' } });
    expect(r.incrementStatistic.value).toBe(2);
  });
});

describe('item 7: bounded list inputs', () => {
  let campaign: string;

  beforeAll(async () => {
    campaign = (await campaignWithActivity(n.cityA1.admin)).campaign;
  });

  const activityInput = (supportingUnitIds: string[]) => ({
    i: { campaignId: campaign, title: '论坛', kind: 'FORUM', startsAt: '2024-04-22T02:00:00Z', supportingUnitIds },
  });

  it.each([101, 35_000])('createActivity with %i supporting unit ids answers BAD_USER_INPUT naming the field', async (count) => {
    const answer = await n.cityA1.admin.request(ACTIVITY, activityInput(Array(count).fill(n.cityA1.unitId)));
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors![0].extensions!.field).toBe('supportingUnitIds');
  });

  it('takes 100 ids, duplicates counted once', async () => {
    const r = await n.cityA1.admin.run(ACTIVITY, activityInput(Array(100).fill(n.cityA1.unitId)));
    expect(r.createActivity.supportingUnits).toEqual([{ id: n.cityA1.unitId }]);
  });

  it.each([51, 35_000])('createCampaign with %i focus points answers BAD_USER_INPUT naming the field', async (count) => {
    const answer = await n.cityA1.admin.request('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
      i: { title: 'x', startsOn: '2024-04-20', endsOn: '2024-04-26', focusPoints: Array(count).fill('x') },
    });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors![0].extensions!.field).toBe('focusPoints');
  });
});
