import { OutboxRelay } from '@cascade/kernel';
import { DataSource } from 'typeorm';
import { DISTRIBUTE, DistributionTarget, distributionTarget, materialsCounted } from './helpers/distributions';
import { startTestPlatform, TestPlatform } from './helpers/platform';

/**
 * Embedded mode (no REDIS_URL: the in-process log) keeps the outbox: a distribution the API
 * acknowledged while campaigns could not apply it (its database refuses, through a trigger) is
 * not lost; it stays unsent in media's outbox and is counted once, in the statistic and the
 * national roll-up, once campaigns works again. SQLite, or MariaDB with DATABASE_URL.
 */
const onMysql = !!process.env.DATABASE_URL;
let t: TestPlatform;
let target: DistributionTarget;
let relay: OutboxRelay;

const db = (service: string): DataSource => t.platform.services.find((s) => s.name === service)!.dataSource;

beforeAll(async () => {
  t = await startTestPlatform('durembed');
  target = await distributionTarget(t.root, 'embedded', false);
  relay = t.platform.services.find((s) => s.name === 'media')!.outbox!;
});
afterAll(async () => {
  await t?.stop();
});

async function unsent(): Promise<number> {
  return Number((await db('media').query('SELECT COUNT(*) AS n FROM outbox_events WHERE sent_at IS NULL'))[0].n);
}

async function counted() {
  const [{ n }] = await db('campaigns').query("SELECT COUNT(*) AS n FROM statistic_increments WHERE idempotency_key LIKE 'distribution:%'");
  return { ...(await materialsCounted(target)), increments: Number(n) };
}

it('a distribution acknowledged while campaigns fails stays in the outbox and is counted once when it works again', async () => {
  await db('campaigns').query(
    onMysql
      ? `CREATE TRIGGER consumer_fault BEFORE INSERT ON statistic_increments FOR EACH ROW BEGIN IF NEW.idempotency_key LIKE 'distribution:%' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'consumer fault'; END IF; END`
      : `CREATE TRIGGER consumer_fault BEFORE INSERT ON statistic_increments WHEN NEW.idempotency_key LIKE 'distribution:%' BEGIN SELECT RAISE(ABORT, 'consumer fault'); END`,
  );
  for (const quantity of [1, 2, 3]) expect((await target.editor.request(DISTRIBUTE, { i: { assetId: target.assetId, quantity } })).errors ?? []).toEqual([]);
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
  expect((await target.editor.request(DISTRIBUTE, { i: { assetId: target.assetId, quantity: 4 } })).errors ?? []).toEqual([]);
  while ((await unsent()) > 0) await new Promise((r) => setTimeout(r, 50));
  expect(await counted()).toEqual({ statistic: 10, rollup: 10, increments: 4 });
  expect(await relay.backlog()).toMatchObject({ unsent: 0 });
});
