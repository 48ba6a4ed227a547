import { startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/**
 * Per-request DataLoaders: the SQL statements behind one query through the gateway do not
 * grow with the number of rows. Counted at the database driver's query runner of every service.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let statements = 0;

beforeAll(async () => {
  t = await startTestPlatform('batch');
  n = await buildTree(t);
  const runner = t.platform.services[0].dataSource.createQueryRunner();
  const proto = Object.getPrototypeOf(runner);
  const query = proto.query;
  proto.query = function counted(this: unknown, ...args: unknown[]) {
    statements++;
    return query.apply(this, args);
  };
  await runner.release();
});
afterAll(async () => {
  await t?.stop();
});

async function createCampaigns(key: TreeKey, count: number) {
  for (let i = 0; i < count; i++) {
    const c = await n[key].admin.run('mutation($t: String!) { createCampaign(input: { title: $t, startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }', { t: `方案${i}` });
    for (const kind of ['OPENING_CEREMONY', 'CONSULTATION']) {
      const a = await n[key].admin.run('mutation($c: ID!, $k: ActivityKind!, $u: ID) { createActivity(input: { campaignId: $c, title: "活动", kind: $k, startsAt: "2024-04-21T02:00:00Z", leadUnitId: $u }) { id } }', { c: c.createCampaign.id, k: kind, u: n[key].unitId });
      for (const indicator of ['PARTICIPANTS', 'SIGNATURES']) {
        await n[key].admin.run('mutation($a: ID!, $i: Indicator!) { incrementStatistic(input: { activityId: $a, indicator: $i, by: 3 }) { value } }', { a: a.createActivity.id, i: indicator });
      }
    }
  }
}

const LIST = `query($t: ID) { campaigns(first: 100, tenantId: $t) { edges { node { title tenant { name }
  activities { title leadUnit { name } statistics { indicator value } } } } } }`;

async function countFor(key: TreeKey) {
  // the gateway's check of the caller's token (org, remembered TOKEN_STATUS_CACHE_SECONDS) runs
  // now, not inside the count: it is per request, not per row
  await n.provA.admin.run('{ me { email } }');
  statements = 0;
  const r = await n.provA.admin.run(LIST, { t: n[key].tenantId });
  return { statements, campaigns: r.campaigns.edges.length, activities: r.campaigns.edges.flatMap((e: any) => e.node.activities).length };
}

it('lists 10 or 50 campaigns with activities, lead units, statistics and tenants in the same ≤ 12 statements', async () => {
  await createCampaigns('cityA1', 10);
  await createCampaigns('cityA2', 50);
  const small = await countFor('cityA1');
  const large = await countFor('cityA2');
  expect(small).toMatchObject({ campaigns: 10, activities: 20 });
  expect(large).toMatchObject({ campaigns: 50, activities: 100 });
  process.stdout.write(`statements: ${small.statements} for 10 campaigns, ${large.statements} for 50\n`);
  expect(large.statements).toBe(small.statements);
  expect(large.statements).toBeLessThanOrEqual(12);
}, 180000);
