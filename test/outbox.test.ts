import { createOutboxTable, DistributionRecordedEvent, DurableEventMap, DurableLog, DurableTopic, InProcessLog, insertOutboxEvent, openDatabase, OutboxEvent, OutboxRelay, parseConfig } from '@cascade/kernel';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { testDatabaseUrl } from './helpers/platform';
import * as mysql from 'mysql2/promise';

/**
 * The transactional outbox and its relay on a real database (SQLite, or MariaDB when
 * DATABASE_URL is set): an event exists only if its transaction committed; the relay sends
 * committed rows, marks them sent only after the log took them, sends them again after a
 * failure between the two, and is woken by the commit itself.
 */
class CreateOutbox1700000000000 implements MigrationInterface {
  name = 'CreateOutbox1700000000000';
  async up(q: QueryRunner) {
    await createOutboxTable(q);
  }
  async down(q: QueryRunner) {
    await q.dropTable('outbox_events');
  }
}

const onMysql = !!process.env.DATABASE_URL;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cascade-outbox-'));
const databaseUrl = testDatabaseUrl('outbox');
let ds: DataSource;
const relays: OutboxRelay[] = [];
const tenant = { tenantId: 7, tenantPath: '/1/7/' };

beforeAll(async () => {
  const config = parseConfig({ DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  ds = await openDatabase({ service: 'outbox', entities: [OutboxEvent], migrations: [CreateOutbox1700000000000], config });
});
afterAll(async () => {
  for (const relay of relays) await relay.close();
  await ds?.destroy();
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    const conn = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
    await conn.query(`DROP DATABASE IF EXISTS \`${url.pathname.slice(1)}_outbox\``);
    await conn.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

let seq = 0;
function distribution(): DistributionRecordedEvent {
  const eventId = `o-${process.pid}-${++seq}`;
  return { eventId, assetId: 1, activityId: 2, quantity: seq, tenantId: 7, tenantPath: '/1/7/', userId: '3' };
}

async function write(...events: DistributionRecordedEvent[]) {
  await ds.transaction(async (m) => {
    for (const e of events) await insertOutboxEvent(m, tenant, 'distribution.recorded', e);
  });
}

async function unsent(): Promise<string[]> {
  const rows = await ds.manager.find(OutboxEvent, { where: {}, order: { id: 'ASC' } });
  return rows.filter((r) => r.sentAt === null).map((r) => r.eventId);
}

/** A log that records what it was given: the in-process log with a consumer, as embedded mode runs it. */
async function recordingLog(fail: () => boolean = () => false) {
  const log = new InProcessLog();
  const got: string[] = [];
  await log.consume('distribution.recorded', 'campaigns', async (e) => {
    if (fail()) throw new Error('the consumer failed');
    got.push(e.eventId);
  });
  return { log, got };
}

function relay(log: DurableLog, pollMs = 600_000) {
  const r = new OutboxRelay({ service: 'outbox-test', dataSource: ds, log, pollMs });
  relays.push(r);
  return r;
}

async function until(check: () => Promise<boolean> | boolean) {
  while (!(await check())) await new Promise((r) => setTimeout(r, 25));
}

afterEach(async () => {
  for (const r of relays.splice(0)) await r.close();
  await ds.manager.clear(OutboxEvent);
});

it('is written only inside a transaction', async () => {
  await expect(insertOutboxEvent(ds.manager, tenant, 'distribution.recorded', distribution())).rejects.toThrow(/inside the transaction/);
  await expect(ds.transaction((m) => insertOutboxEvent(m, tenant, 'nothing.durable' as DurableTopic, distribution() as never))).rejects.toThrow(/not a durable topic/);
});

it('an event of a transaction that rolled back does not exist; one that committed waits unsent', async () => {
  const lost = distribution();
  const kept = distribution();
  await expect(
    ds.transaction(async (m) => {
      await insertOutboxEvent(m, tenant, 'distribution.recorded', lost);
      throw new Error('the change failed');
    }),
  ).rejects.toThrow(/change failed/);
  await write(kept);
  expect(await unsent()).toEqual([kept.eventId]);
});

it('the relay appends committed rows and marks them sent; the commit wakes it (no polling here)', async () => {
  const { log, got } = await recordingLog();
  const r = relay(log).start();
  const events = [distribution(), distribution(), distribution()];
  await write(...events);
  await until(() => got.length === 3);
  await until(async () => (await unsent()).length === 0);
  expect(got).toEqual(events.map((e) => e.eventId));
  expect(await r.backlog()).toEqual({ service: 'outbox-test', unsent: 0, oldestSeconds: 0 });
});

it('a failure between the append and the mark leaves the rows unsent: they are appended again, in order', async () => {
  const { log, got } = await recordingLog();
  let failMark = true;
  // the log took the events, then the relay fails before marking them (as a crash would)
  const failing: DurableLog = Object.assign(Object.create(log), {
    append: async <K extends DurableTopic>(topic: K, events: { eventId: string; event: DurableEventMap[K] }[]) => {
      await log.append(topic, events);
      if (failMark) throw new Error('crashed after the append');
    },
  });
  const events = [distribution(), distribution()];
  await write(...events);
  const r = relay(failing);
  await expect(r.relayOnce()).rejects.toThrow(/crashed/);
  expect(got).toEqual(events.map((e) => e.eventId));
  expect(await unsent()).toEqual(events.map((e) => e.eventId));
  expect((await r.backlog()).unsent).toBe(2);
  failMark = false;
  expect(await r.relayOnce()).toBe(2);
  expect(got).toEqual([...events, ...events].map((e) => e.eventId)); // at least once: consumers dedupe by eventId
  expect(await unsent()).toEqual([]);
});

it('a consumer that throws (in-process) keeps the rows in the outbox until it succeeds', async () => {
  let failing = true;
  const { log, got } = await recordingLog(() => failing);
  const e = distribution();
  await write(e);
  const r = relay(log);
  await expect(r.relayOnce()).rejects.toThrow(/consumer failed/);
  expect(await unsent()).toEqual([e.eventId]);
  failing = false;
  expect(await r.relayOnce()).toBe(1);
  expect(got).toEqual([e.eventId]);
});

(onMysql ? it : it.skip)('two relays on MariaDB/MySQL send each row once (FOR UPDATE SKIP LOCKED)', async () => {
  const { log, got } = await recordingLog();
  const slow: DurableLog = Object.assign(Object.create(log), {
    append: async <K extends DurableTopic>(topic: K, events: { eventId: string; event: DurableEventMap[K] }[]) => {
      await new Promise((r) => setTimeout(r, 20)); // the lock is held while the log answers
      await log.append(topic, events);
    },
  });
  const events = Array.from({ length: 250 }, () => distribution());
  for (let i = 0; i < events.length; i += 50) await write(...events.slice(i, i + 50));
  const a = new OutboxRelay({ service: 'a', dataSource: ds, log: slow, batchSize: 10 });
  const b = new OutboxRelay({ service: 'b', dataSource: ds, log: slow, batchSize: 10 });
  const drain = async (r: OutboxRelay) => {
    while ((await r.relayOnce()) > 0);
  };
  await Promise.all([drain(a), drain(b)]);
  expect(got.length).toBe(250);
  expect(new Set(got).size).toBe(250);
});
