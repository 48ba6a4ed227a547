import { GraphQLResponse } from '@cascade/app';
import { DataSource, QueryRunner } from 'typeorm';
import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/**
 * The lock checks of a campaign's writes run on the campaign row as locked inside the write's own
 * transaction, so a close or a report lock committed meanwhile is seen, never overtaken: a
 * correction (updateCampaign, updateActivity, updateTask, deleteActivity) or a new activity
 * (createActivity) of a campaign closed meanwhile answers CONFLICT, a statistic write of a campaign locked meanwhile too, and so does a
 * second close (a campaign is closed once). Requests go through the gateway;
 * the concurrent close or lock is written straight into the campaigns database, at a chosen moment:
 *
 * - on every database, the moment the request's write transaction begins — after every early
 *   check of the request has passed (the test wraps the campaigns DataSource's query runners);
 * - on MySQL/MariaDB also while the write waits: the close is held in an open transaction (with
 *   the record the request writes locked, as a slow writer would), the request is sent, and the
 *   close commits once InnoDB shows the request waiting on it.
 *
 * Before the fix (checks made before the write's transaction only), each of these requests wrote
 * anyway and answered without an error, on SQLite and on MariaDB alike.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let ds: DataSource;
const onMysql = !!process.env.DATABASE_URL;

const window = { startsOn: '2024-04-20', endsOn: '2024-04-26' };
const ACTIVITY = 'query($id: ID!) { activity(id: $id) { id title statistics { indicator value } } }';
const CAMPAIGN = 'query($id: ID!) { campaign(id: $id) { title status statisticsLocked requiredIndicators tasks { id title } } }';
const INC = 'mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value } }';
const REC = 'mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { value } }';

type Sql = [string, unknown[]];

async function campaign(title: string) {
  const c = await n.cityA1.admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i: { title, ...window } });
  const id = c.createCampaign.id as string;
  await n.cityA1.admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id });
  await n.cityA1.admin.run('mutation($id: ID!) { setCampaignStatus(id: $id, status: IN_PROGRESS) { status } }', { id });
  return id;
}

async function activity(campaignId: string) {
  const r = await n.cityA1.admin.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
    i: { campaignId, title: '开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z' },
  });
  return r.createActivity.id as string;
}

/** What setCampaignStatus(CLOSED) writes that matters here (closedAt and closedBy aside). */
const close = (campaignId: string): Sql => ["UPDATE campaigns SET status = 'CLOSED' WHERE id = ?", [Number(campaignId)]];
const reportLock = (campaignId: string): Sql => ['UPDATE campaigns SET report_locked = ? WHERE id = ?', [true, Number(campaignId)]];
const holdRow = (table: string, id: string): Sql => [`SELECT id FROM ${table} WHERE id = ? FOR UPDATE`, [Number(id)]];

/**
 * Sends the request; the moment its first transaction on the campaigns database begins, `sql`
 * is committed first (on that connection, before its BEGIN). Answers what the request answered,
 * and whether that moment came at all.
 */
async function atWriteStart(sql: Sql[], send: () => Promise<GraphQLResponse>): Promise<{ answer: GraphQLResponse; fired: boolean }> {
  const original = ds.createQueryRunner;
  let fired = false;
  ds.createQueryRunner = function (this: DataSource, ...args: Parameters<DataSource['createQueryRunner']>): QueryRunner {
    const runner = original.apply(this, args);
    const start = runner.startTransaction;
    runner.startTransaction = async function (this: QueryRunner, ...level: Parameters<QueryRunner['startTransaction']>) {
      runner.startTransaction = start; // one shot (SQLite shares one runner)
      if (!fired) {
        fired = true;
        ds.createQueryRunner = original;
        for (const [statement, params] of sql) await runner.query(statement, params);
      }
      return start.apply(this, level);
    };
    return runner;
  };
  try {
    return { answer: await send(), fired };
  } finally {
    ds.createQueryRunner = original;
  }
}

/**
 * Whether a connection to this test's campaigns database waits on a row lock. Read from SHOW
 * ENGINE INNODB STATUS: MariaDB 10.11 leaves such a transaction out of INNODB_TRX when its
 * first statement is the one waiting (seen here), and other databases on the server may wait
 * too, so only threads of this database count.
 */
async function waitsOnLock(): Promise<boolean> {
  const ours = new Set((await ds.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = DATABASE()')).map((r: { id: unknown }) => String(r.id)));
  const [{ Status: status }] = await ds.query('SHOW ENGINE INNODB STATUS');
  return String(status)
    .split('---TRANSACTION')
    .some((block) => /\nLOCK WAIT /.test(block) && ours.has(/(?:MariaDB|MySQL) thread id (\d+)/.exec(block)?.[1] ?? ''));
}

/**
 * MySQL/MariaDB: runs `held` in a transaction left open, sends the request, waits until it blocks
 * on a lock that transaction holds (or answers without waiting: the defect), then commits.
 */
async function whileHeld(held: Sql[], send: () => Promise<GraphQLResponse>): Promise<{ answer: GraphQLResponse; waited: boolean }> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    for (const [statement, params] of held) await runner.query(statement, params);
    let answered = false;
    const pending = send().finally(() => {
      answered = true;
    });
    let waited = false;
    const started = Date.now();
    while (!answered && !waited) {
      if (Date.now() - started > 20000) throw new Error('the request neither answered nor waited on the held lock');
      waited = await waitsOnLock();
      if (!waited) await new Promise((r) => setTimeout(r, 10));
    }
    await runner.commitTransaction();
    return { answer: await pending, waited };
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}

/**
 * One race: a fresh campaign (activity, task, a statistic at 5), the request, the concurrent
 * write (a close unless said otherwise), the rows a slow writer holds, and what must hold after.
 */
interface Race {
  name: string;
  /** Before the race, after the fixture. */
  prepare?: (c: Fixture) => Promise<void>;
  concurrent?: (c: Fixture) => Sql;
  held?: (c: Fixture) => Sql[];
  send: (c: Fixture) => Promise<GraphQLResponse>;
  expectAfter: (answer: GraphQLResponse, c: Fixture) => Promise<void>;
}
interface Fixture {
  campaign: string;
  activity: string;
  task: string;
}

async function fixture(title: string): Promise<Fixture> {
  const id = await campaign(title);
  const act = await activity(id);
  const task = await n.cityA1.admin.run('mutation($i: AssignTaskInput!) { assignTask(input: $i) { id } }', { i: { campaignId: id, unitId: n.cityA1.unitId, title: '布置展板' } });
  // the statistic row exists: the request's first transaction is its write
  await n.cityA1.admin.run(INC, { i: { activityId: act, indicator: 'SIGNATURES', by: 5 } });
  return { campaign: id, activity: act, task: task.assignTask.id };
}

const refusedAndUnchanged = async (answer: GraphQLResponse, c: Fixture) => {
  expect(codeOf(answer)).toBe('CONFLICT');
  expect((await n.cityA1.admin.run(CAMPAIGN, { id: c.campaign })).campaign).toMatchObject({ requiredIndicators: [], tasks: [{ id: c.task, title: '布置展板' }] });
  expect((await n.cityA1.admin.run(ACTIVITY, { id: c.activity })).activity).toEqual({ id: c.activity, title: '开幕式', statistics: [{ indicator: 'SIGNATURES', value: 5 }] });
};

const RACES: Race[] = [
  {
    name: 'updateCampaign while the campaign closes: CONFLICT, its fields unchanged, still CLOSED',
    send: (c) => n.cityA1.admin.request('mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { title } }', { i: { id: c.campaign, title: '改过的标题', requiredIndicators: ['SIGNATURES'] } }),
    async expectAfter(answer, c) {
      await refusedAndUnchanged(answer, c);
      expect((await n.cityA1.admin.run(CAMPAIGN, { id: c.campaign })).campaign).toMatchObject({ title: '甲一市宣传周', status: 'CLOSED' });
    },
  },
  {
    name: 'updateActivity while the campaign closes: CONFLICT, the activity unchanged',
    held: (c) => [holdRow('activities', c.activity)],
    send: (c) => n.cityA1.admin.request('mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { title } }', { i: { id: c.activity, title: '闭幕式' } }),
    expectAfter: refusedAndUnchanged,
  },
  {
    name: 'updateTask while the campaign closes: CONFLICT, the task unchanged',
    held: (c) => [holdRow('tasks', c.task)],
    send: (c) => n.cityA1.admin.request('mutation($i: UpdateTaskInput!) { updateTask(input: $i) { title } }', { i: { id: c.task, title: '撤展' } }),
    expectAfter: refusedAndUnchanged,
  },
  {
    name: 'deleteActivity (nothing counted) while the campaign closes: CONFLICT, the activity stays',
    async prepare(c) {
      c.activity = await activity(c.campaign); // one with nothing counted: no statistic to check first
    },
    held: (c) => [holdRow('activities', c.activity)],
    send: (c) => n.cityA1.admin.request('mutation($id: ID!) { deleteActivity(id: $id) }', { id: c.activity }),
    async expectAfter(answer, c) {
      expect(codeOf(answer)).toBe('CONFLICT');
      expect((await n.cityA1.admin.run(ACTIVITY, { id: c.activity })).activity).toEqual({ id: c.activity, title: '开幕式', statistics: [] });
    },
  },
  {
    name: 'createActivity while the campaign closes: CONFLICT, no activity added',
    send: (c) => n.cityA1.admin.request('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', { i: { campaignId: c.campaign, title: '补充活动', kind: 'FORUM', startsAt: '2024-04-21T02:00:00Z' } }),
    async expectAfter(answer, c) {
      await refusedAndUnchanged(answer, c);
      expect((await n.cityA1.admin.run('query($id: ID!) { campaign(id: $id) { activities { id } } }', { id: c.campaign })).campaign.activities).toEqual([{ id: c.activity }]);
    },
  },
  {
    name: 'createActivity while the report lock is set: added (only CLOSED stops new activities)',
    concurrent: (c) => reportLock(c.campaign),
    send: (c) => n.cityA1.admin.request('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', { i: { campaignId: c.campaign, title: '补充活动', kind: 'FORUM', startsAt: '2024-04-21T02:00:00Z' } }),
    async expectAfter(answer, c) {
      expect(codeOf(answer)).toBe('NONE');
      const { activities } = (await n.cityA1.admin.run('query($id: ID!) { campaign(id: $id) { activities { id } } }', { id: c.campaign })).campaign;
      expect(activities).toEqual([{ id: c.activity }, { id: answer.data!.createActivity.id }]);
    },
  },
  {
    name: 'incrementStatistic while the report lock is set: CONFLICT, nothing counted',
    concurrent: (c) => reportLock(c.campaign),
    send: (c) => n.cityA1.admin.request(INC, { i: { activityId: c.activity, indicator: 'SIGNATURES', by: 1 } }),
    async expectAfter(answer, c) {
      await refusedAndUnchanged(answer, c);
      expect((await n.cityA1.admin.run(CAMPAIGN, { id: c.campaign })).campaign.statisticsLocked).toBe(true);
    },
  },
  {
    name: 'recordStatistic while the report lock is set: CONFLICT, nothing recorded',
    concurrent: (c) => reportLock(c.campaign),
    send: (c) => n.cityA1.admin.request(REC, { i: { activityId: c.activity, indicator: 'SIGNATURES', value: 500 } }),
    expectAfter: refusedAndUnchanged,
  },
  {
    name: 'setCampaignStatus(CLOSED) while another close commits: CONFLICT, the first close’s record kept',
    concurrent: (c) => ["UPDATE campaigns SET status = 'CLOSED', closed_by = ? WHERE id = ?", [424242, Number(c.campaign)]],
    send: (c) => n.cityA1.admin.request('mutation($id: ID!) { setCampaignStatus(id: $id, status: CLOSED) { status } }', { id: c.campaign }),
    async expectAfter(answer, c) {
      expect(codeOf(answer)).toBe('CONFLICT');
      const [row] = await ds.query('SELECT status, closed_by FROM campaigns WHERE id = ?', [Number(c.campaign)]);
      expect({ status: row.status, closedBy: Number(row.closed_by) }).toEqual({ status: 'CLOSED', closedBy: 424242 });
    },
  },
];

beforeAll(async () => {
  t = await startTestPlatform('lockraces');
  n = await buildTree(t);
  ds = t.platform.services.find((s) => s.name === 'campaigns')!.dataSource;
});
afterAll(async () => {
  await t?.stop();
});

describe('the concurrent write commits the moment the request’s write transaction begins', () => {
  it.each(RACES.map((race) => [race.name, race] as const))('%s', async (_name, race) => {
    const c = await fixture('甲一市宣传周');
    await race.prepare?.(c);
    const { answer, fired } = await atWriteStart([concurrentWrite(race, c)], () => race.send(c));
    expect(fired).toBe(true);
    await race.expectAfter(answer, c);
  });
});

(onMysql ? describe : describe.skip)('MySQL/MariaDB: the concurrent write is in flight (uncommitted) when the request’s transaction wants the row', () => {
  it.each(RACES.map((race) => [race.name, race] as const))('%s', async (_name, race) => {
    const c = await fixture('甲一市宣传周');
    await race.prepare?.(c);
    const { answer, waited } = await whileHeld([...(race.held?.(c) ?? []), concurrentWrite(race, c)], () => race.send(c));
    expect(waited).toBe(true);
    await race.expectAfter(answer, c);
  });
});

/** The race's concurrent write: a close unless it names another. */
const concurrentWrite = (race: Race, c: Fixture): Sql => (race.concurrent ?? ((f) => close(f.campaign)))(c);
