import { GraphQLClient } from '@cascade/app';
import { OutboxRelay } from '@cascade/kernel';
import { DataSource } from 'typeorm';
import { PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';

/**
 * Embedded mode (no REDIS_URL: the in-process log) keeps the outbox: a distribution the API
 * acknowledged while campaigns could not apply it (its database refuses, through a trigger) is
 * not lost; it stays unsent in media's outbox and is counted once, in the statistic and the
 * national roll-up, once campaigns works again. SQLite, or MariaDB with DATABASE_URL.
 */
const onMysql = !!process.env.DATABASE_URL;
let t: TestPlatform;
let editor: GraphQLClient;
let nationViewer: GraphQLClient;
let relay: OutboxRelay;
const ids: Record<string, string> = {};

const db = (service: string): DataSource => t.platform.services.find((s) => s.name === service)!.dataSource;
const DISTRIBUTE = 'mutation($i: RecordDistributionInput!) { recordDistribution(input: $i) { quantityDistributed } }';

beforeAll(async () => {
  t = await startTestPlatform('durembed');
  const tenant = async (name: string, level: string, parentId: string | null) =>
    (await t.root.run('mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name, level, parentId } })).createTenant.id as string;
  const user = async (tenantId: string, email: string, role: string) => {
    await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { tenantId, email, name: '用户', password: PASSWORD, role } });
    return t.signIn(email);
  };
  ids.nation = await tenant('全国', 'NATIONAL', null);
  const city = await tenant('甲市', 'CITY', ids.nation);
  nationViewer = await user(ids.nation, 'viewer@nation.embedded.test', 'VIEWER');
  editor = await user(city, 'editor@city.embedded.test', 'EDITOR');
  const c = await editor.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i: { title: '宣传周', startsOn: '2024-04-20', endsOn: '2024-04-26' } });
  const a = await editor.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
    i: { campaignId: c.createCampaign.id, title: '发放宣传资料', kind: 'OTHER', startsAt: '2024-04-20T02:00:00Z' },
  });
  ids.activity = a.createActivity.id;
  const r = await editor.run('mutation($i: RequestUploadInput!) { requestUpload(input: $i) { asset { id } } }', {
    i: { title: '宣传单', kind: 'FLYER', fileName: 'leaflet.pdf', contentType: 'application/pdf', byteSize: 1000, activityId: ids.activity },
  });
  ids.asset = r.requestUpload.asset.id;
  relay = t.platform.services.find((s) => s.name === 'media')!.outbox!;
});
afterAll(async () => {
  await t?.stop();
});

async function unsent(): Promise<number> {
  return Number((await db('media').query('SELECT COUNT(*) AS n FROM outbox_events WHERE sent_at IS NULL'))[0].n);
}

async function counted() {
  const stat = await editor.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: ids.activity });
  const rollup = await nationViewer.run('query($t: ID!) { rollup(tenantId: $t) { totals { indicator value } } }', { t: ids.nation });
  const [{ n }] = await db('campaigns').query("SELECT COUNT(*) AS n FROM statistic_increments WHERE idempotency_key LIKE 'distribution:%'");
  const materials = (list: { indicator: string; value: number }[]) => list.find((s) => s.indicator === 'MATERIALS_DISTRIBUTED')?.value ?? 0;
  return { statistic: materials(stat.activity.statistics), rollup: materials(rollup.rollup.totals), increments: Number(n) };
}

it('a distribution acknowledged while campaigns fails stays in the outbox and is counted once when it works again', async () => {
  await db('campaigns').query(
    onMysql
      ? `CREATE TRIGGER consumer_fault BEFORE INSERT ON statistic_increments FOR EACH ROW BEGIN IF NEW.idempotency_key LIKE 'distribution:%' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'consumer fault'; END IF; END`
      : `CREATE TRIGGER consumer_fault BEFORE INSERT ON statistic_increments WHEN NEW.idempotency_key LIKE 'distribution:%' BEGIN SELECT RAISE(ABORT, 'consumer fault'); END`,
  );
  for (const quantity of [1, 2, 3]) expect((await editor.request(DISTRIBUTE, { i: { assetId: ids.asset, quantity } })).errors ?? []).toEqual([]);
  // delivering them fails in campaigns: nothing is marked sent (on MySQL a round of the relay's own
  // loop may hold the rows meanwhile, FOR UPDATE SKIP LOCKED: this round then finds none, and tries again)
  for (;;) {
    const outcome = await relay.relayOnce().then((moved) => moved, (err: Error) => err);
    if (outcome instanceof Error) {
      expect(outcome.message).toMatch(/consumer fault/);
      break;
    }
    expect(outcome).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await unsent()).toBe(3);
  expect(await counted()).toEqual({ statistic: 0, rollup: 0, increments: 0 });

  await db('campaigns').query('DROP TRIGGER consumer_fault');
  // the next distribution's commit wakes the relay, which sends all four
  expect((await editor.request(DISTRIBUTE, { i: { assetId: ids.asset, quantity: 4 } })).errors ?? []).toEqual([]);
  while ((await unsent()) > 0) await new Promise((r) => setTimeout(r, 50));
  expect(await counted()).toEqual({ statistic: 10, rollup: 10, increments: 4 });
  expect(await relay.backlog()).toMatchObject({ unsent: 0 });
});
