import { GraphQLClient } from '@cascade/app';
import { DataSource } from 'typeorm';
import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/**
 * Issue 12 item 3: an audit entry is written in the same transaction as the change it records,
 * so neither exists without the other. Kill switches are database triggers, created in the
 * service's own database for one test and dropped after it:
 *
 * - the write fails AFTER its entry was inserted (a trigger refuses the change's own statement,
 *   which runs after the audit INSERT): the entry is rolled back with it;
 * - the entry's INSERT fails after the change was made (a trigger on audit_entries): the change
 *   is rolled back with it.
 *
 * Through the gateway, on SQLite and MariaDB alike. Without the shared transaction each case
 * leaves an entry without a change, or a change without an entry.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
const onMysql = !!process.env.DATABASE_URL;
const ids: Record<string, string> = {};

const LOG = 'query($type: String, $id: ID) { auditLog(entityType: $type, entityId: $id, first: 100) { edges { node { action } } } }';
const actions = async (type: string, id: string) => (await n.cityA1.admin.run(LOG, { type, id })).auditLog.edges.map((e: { node: { action: string } }) => e.node.action);

const db = (service: string): DataSource => t.platform.services.find((s) => s.name === service)!.dataSource;

/** A trigger refusing `event` on `table` when `when` holds (SQL over NEW/OLD), for the length of `run`. */
async function killSwitch<R>(service: string, table: string, event: 'INSERT' | 'UPDATE' | 'DELETE', when: string, run: () => Promise<R>): Promise<R> {
  const ds = db(service);
  const name = `kill_${table}_${event.toLowerCase()}`;
  await ds.query(
    onMysql
      ? `CREATE TRIGGER ${name} BEFORE ${event} ON ${table} FOR EACH ROW BEGIN IF ${when} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'kill switch'; END IF; END`
      : `CREATE TRIGGER ${name} BEFORE ${event} ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'kill switch'); END`,
  );
  try {
    return await run();
  } finally {
    await ds.query(`DROP TRIGGER ${name}`);
  }
}

const failed = (answer: { errors?: unknown[] }) => expect(codeOf(answer as any)).toBe('INTERNAL_SERVER_ERROR');

beforeAll(async () => {
  t = await startTestPlatform('audittx');
  n = await buildTree(t);
  const c = await n.cityA1.admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i: { title: '甲一市宣传周', startsOn: '2024-04-20', endsOn: '2024-04-26' } });
  ids.campaign = c.createCampaign.id;
  await n.cityA1.admin.run('mutation($id: ID!) { publishCampaign(id: $id) { id } }', { id: ids.campaign });
  const a = await n.cityA1.admin.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', { i: { campaignId: ids.campaign, title: '开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z' } });
  ids.activity = a.createActivity.id;
  const s = await n.cityA1.admin.run('mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { id } }', { i: { activityId: ids.activity, indicator: 'SIGNATURES', by: 10 } });
  ids.statistic = s.incrementStatistic.id;
});
afterAll(async () => {
  await t?.stop();
});

const admin = (): GraphQLClient => n.cityA1.admin;

describe('the write fails after its entry was inserted: the entry is rolled back', () => {
  it('updateCampaign (the entry first, then the UPDATE the trigger refuses)', async () => {
    const before = await actions('Campaign', ids.campaign);
    const answer = await killSwitch('campaigns', 'campaigns', 'UPDATE', "NEW.title = '熔断'", () =>
      admin().request('mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { id } }', { i: { id: ids.campaign, title: '熔断' } }),
    );
    failed(answer);
    expect(await actions('Campaign', ids.campaign)).toEqual(before);
    expect((await admin().run('query($id: ID!) { campaign(id: $id) { title } }', { id: ids.campaign })).campaign.title).toBe('甲一市宣传周');
    // the same write without the switch: changed, and recorded once
    await admin().run('mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { id } }', { i: { id: ids.campaign, title: '熔断' } });
    expect(await actions('Campaign', ids.campaign)).toEqual(['UPDATE', ...before]);
  });

  it('deleteActivity (the entry first, then the DELETE the trigger refuses)', async () => {
    const spare = await admin().run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', { i: { campaignId: ids.campaign, title: '座谈会', kind: 'FORUM', startsAt: '2024-04-21T02:00:00Z' } });
    const id = spare.createActivity.id;
    const answer = await killSwitch('campaigns', 'activities', 'DELETE', `OLD.id = ${Number(id)}`, () => admin().request('mutation($id: ID!) { deleteActivity(id: $id) }', { id }));
    failed(answer);
    expect(await actions('Activity', id)).toEqual(['CREATE']);
    expect((await admin().run('query($id: ID!) { activity(id: $id) { title } }', { id })).activity).toEqual({ title: '座谈会' });
  });
});

describe('the entry cannot be written after the change was made: the change is rolled back', () => {
  const refuseEntries = (service: string, action: string, run: () => Promise<unknown>) =>
    killSwitch(service, 'audit_entries', 'INSERT', `NEW.action = '${action}'`, run);

  it('createActivity: no activity without its CREATE entry', async () => {
    const answer = await refuseEntries('campaigns', 'CREATE', () =>
      admin().request('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', { i: { campaignId: ids.campaign, title: '无记录的活动', kind: 'FORUM', startsAt: '2024-04-21T02:00:00Z' } }),
    );
    failed(answer as any);
    const { activities } = (await admin().run('query($id: ID!) { campaign(id: $id) { activities { title } } }', { id: ids.campaign })).campaign;
    expect(activities.map((a: { title: string }) => a.title)).not.toContain('无记录的活动');
  });

  it('incrementStatistic (group commit): the value and the roll-up stay as they were', async () => {
    const read = async () => ({
      value: (await admin().run('query($id: ID!) { activity(id: $id) { statistics { value } } }', { id: ids.activity })).activity.statistics[0].value,
      total: (await n.nation.admin.run('query($t: ID!) { rollup(tenantId: $t) { totals { indicator value } } }', { t: n.nation.tenantId })).rollup.totals,
    });
    const before = await read();
    const answers = await killSwitch('campaigns', 'audit_entries', 'INSERT', "NEW.action = 'INCREMENT'", () =>
      Promise.all(Array.from({ length: 5 }, () => admin().request('mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value } }', { i: { activityId: ids.activity, indicator: 'SIGNATURES', by: 1 } }))),
    );
    answers.forEach((answer) => failed(answer));
    expect(await read()).toEqual(before);
    expect(await actions('Statistic', ids.statistic)).toEqual(['INCREMENT']);
  });

  it('recordDistribution (media): the quantity stays, and no event is counted', async () => {
    const upload = await admin().run('mutation($i: RequestUploadInput!) { requestUpload(input: $i) { asset { id } } }', {
      i: { title: '宣传单', kind: 'FLYER', fileName: 'flyer.pdf', contentType: 'application/pdf', byteSize: 100, activityId: ids.activity },
    });
    const asset = upload.requestUpload.asset.id;
    const answer = await refuseEntries('media', 'DISTRIBUTE', () => admin().request('mutation($i: RecordDistributionInput!) { recordDistribution(input: $i) { id } }', { i: { assetId: asset, quantity: 30 } }));
    failed(answer as any);
    expect((await admin().run('query($id: ID!) { asset(id: $id) { quantityDistributed } }', { id: asset })).asset.quantityDistributed).toBe(0);
    expect(await actions('Asset', asset)).toEqual(['CREATE']);
  });

  it('postFeedEntry (feeds): no post without its entry', async () => {
    const answer = await refuseEntries('feeds', 'CREATE', () => admin().request('mutation($i: PostFeedEntryInput!) { postFeedEntry(input: $i) { id } }', { i: { activityId: ids.activity, text: '无记录的动态' } }));
    failed(answer as any);
    const feed = await admin().run('query($a: ID!) { feed(activityId: $a) { edges { node { text } } } }', { a: ids.activity });
    expect(feed.feed.edges).toEqual([]);
  });

  it('generateReport (reports): no report without its entry', async () => {
    const answer = await refuseEntries('reports', 'GENERATE', () => admin().request('mutation($id: ID!) { generateReport(campaignId: $id) { id } }', { id: ids.campaign }));
    failed(answer as any);
    expect((await admin().run('query($id: ID!) { campaign(id: $id) { report { id } } }', { id: ids.campaign })).campaign.report).toBeNull();
  });

  it('signOut (org): the token stays valid without its entry', async () => {
    const answer = await refuseEntries('org', 'SIGN_OUT', () => admin().request('mutation { signOut }'));
    failed(answer as any);
    expect(codeOf(await admin().request('{ me { id } }'))).toBe('NONE');
  });
});
