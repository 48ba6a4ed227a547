import { GraphQLClient } from '@cascade/app';
import { mysqlDatabaseName } from '@cascade/kernel';
import Redis from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as mysql from 'mysql2/promise';
import { DISTRIBUTE, DistributionTarget, distributionTarget, materialsCounted } from './helpers/distributions';
import { ROOT_EMAIL, ROOT_PASSWORD, testDatabaseUrl } from './helpers/platform';
import { childEnv, freePort, Spawned, spawnNode } from './helpers/spawned';

/**
 * Issue 15 item 1: no acknowledged distribution is lost or counted twice. Production shape:
 * org, media, campaigns and the gateway each their own OS process (services/<name>/dist/main.js),
 * one MariaDB, one Redis. Media writes each distribution's event to its outbox in the
 * distribution's transaction; its relay moves it to a Redis stream; campaigns (consumer group
 * `campaigns`) applies it once. The faults are real: processes killed with SIGKILL, a relay that
 * appended to the stream and could not mark its rows sent (a database trigger, then SIGKILL).
 * The count is checked on the statistic and on the roll-up two levels up, once the outbox, the
 * stream and every pending list are empty (so nothing can still arrive).
 *
 * MariaDB only (DATABASE_URL): separate processes on one SQLite file are not a supported shape.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `cascade-test-durable-${process.pid}-${Date.now()}`;
const STREAM = `${PREFIX}:stream:distribution.recorded`;
const databaseUrl = testDatabaseUrl('durable');
const onMysql = !!databaseUrl;
const redis = new Redis(REDIS_URL);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cascade-durable-'));
const entry = (name: string) => path.resolve(__dirname, `../${name === 'gateway' ? 'gateway' : `services/${name}`}/dist/main.js`);

const ports: Record<string, number> = {};
const running = new Set<Spawned>();
let db: mysql.Connection;
let gql: GraphQLClient;
let target: DistributionTarget;
/** Every distribution the API acknowledged: its quantity (each a different number, so a double shows). */
const acknowledged: number[] = [];

function env(extra: Record<string, string> = {}) {
  const url = (name: string) => `http://127.0.0.1:${ports[name]}/graphql`;
  return childEnv({
    LOG_LEVEL: 'info', DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', REDIS_URL, EVENT_CHANNEL_PREFIX: PREFIX,
    JWT_SECRET: 'jwt-secret-for-tests-0123456789', INTERNAL_SECRET: 'internal-secret-for-tests-0123456789',
    ROOT_ADMIN_EMAIL: ROOT_EMAIL, ROOT_ADMIN_PASSWORD: ROOT_PASSWORD,
    ORG_URL: url('org'), CAMPAIGNS_URL: url('campaigns'), MEDIA_URL: url('media'),
    STREAM_CLAIM_IDLE_SECONDS: '2',
    ...extra,
  });
}

/** Starts one process of a service (or the gateway) on its port; resolves once it listens. */
async function start(name: string, extra: Record<string, string> = {}): Promise<Spawned> {
  const child = spawnNode(entry(name), env({ PORT: String(ports[name]), ...extra }));
  running.add(child);
  void child.exited.then(() => running.delete(child));
  await child.waitFor(/listening/);
  return child;
}

async function kill(p: Spawned) {
  p.child.kill('SIGKILL');
  await p.exited;
}

const query = async <T = Record<string, unknown>>(service: string, sql: string, params: unknown[] = []): Promise<T[]> =>
  (await db.query(sql.replace(/\{(\w+)\}/g, (_m, s: string) => `\`${mysqlDatabaseName(databaseUrl!, s)}\``), params))[0] as T[];

let nextQuantity = 1;

/** One distribution through the gateway; remembered when acknowledged (answered without error). */
async function distribute(): Promise<void> {
  const quantity = nextQuantity++;
  const answer = await target.editor.request(DISTRIBUTE, { i: { assetId: target.assetId, quantity } });
  if (!answer.errors?.length && answer.data?.recordDistribution) acknowledged.push(quantity);
}

/** `count` distributions, `concurrency` at a time; `during(i)` runs after the i-th is answered. */
async function distributeMany(count: number, concurrency = 4, during: (done: number) => Promise<void> = async () => undefined) {
  let started = 0;
  let done = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await distribute();
      await during(++done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Waits until media's outbox holds nothing unsent and the campaigns group has nothing undelivered or pending. */
async function drained() {
  for (;;) {
    const [{ n }] = await query<{ n: number }>('media', 'SELECT COUNT(*) AS n FROM {media}.outbox_events WHERE sent_at IS NULL');
    const groups = ((await redis.xinfo('GROUPS', STREAM).catch(() => [])) as unknown[][]).map((g) => Object.fromEntries(chunk(g)));
    const campaigns = groups.find((g) => g.name === 'campaigns');
    if (Number(n) === 0 && campaigns && Number(campaigns.pending) === 0 && Number(campaigns.lag) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const chunk = (flat: unknown[]) => Array.from({ length: flat.length / 2 }, (_, i) => [String(flat[2 * i]), flat[2 * i + 1]]);

async function group(): Promise<Record<string, unknown>> {
  const groups = ((await redis.xinfo('GROUPS', STREAM)) as unknown[][]).map((g) => Object.fromEntries(chunk(g)));
  return groups.find((g) => g.name === 'campaigns')!;
}

async function until(check: () => Promise<boolean>) {
  while (!(await check())) await new Promise((r) => setTimeout(r, 100));
}

async function counted() {
  const increments = await query<{ n: number }>('campaigns', "SELECT COUNT(*) AS n FROM {campaigns}.statistic_increments WHERE idempotency_key LIKE 'distribution:%'");
  return { ...(await materialsCounted(target)), increments: Number(increments[0].n) };
}

function expected() {
  const sum = acknowledged.reduce((a, b) => a + b, 0);
  return { statistic: sum, rollup: sum, increments: acknowledged.length };
}

const maybe = onMysql ? describe : describe.skip;

maybe('durable distribution events across processes (MariaDB, Redis)', () => {
  let campaigns: Spawned;
  let media: Spawned;

  beforeAll(async () => {
    db = await mysql.createConnection({ uri: databaseUrl!.replace(/\/[^/]*$/, '/'), multipleStatements: false });
    for (const name of ['org', 'campaigns', 'media', 'gateway']) ports[name] = await freePort();
    await start('org');
    campaigns = await start('campaigns');
    media = await start('media');
    await start('gateway');
    gql = new GraphQLClient(`http://127.0.0.1:${ports.gateway}/graphql`);
    target = await distributionTarget(await gql.signIn(ROOT_EMAIL, ROOT_PASSWORD), 'durable');
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...running].map(async (p) => (p.child.kill('SIGTERM'), await p.exited)));
    if (db) {
      const [rows] = await db.query(`SHOW DATABASES LIKE '${new URL(databaseUrl!).pathname.slice(1).replace(/_/g, '\\_')}\\_%'`);
      for (const row of rows as Record<string, string>[]) await db.query(`DROP DATABASE \`${Object.values(row)[0]}\``);
      await db.end();
    }
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('campaigns killed mid-stream while distributions keep being acknowledged, then restarted: each counted once', async () => {
    await distributeMany(10);
    // kill the consumer while events flow, and keep distributing while it is gone
    await distributeMany(40, 4, async (done) => {
      if (done === 10) await kill(campaigns);
    });
    // everything acknowledged reached the stream, where it waits with nobody reading
    await until(async () => Number((await query<{ n: number }>('media', 'SELECT COUNT(*) AS n FROM {media}.outbox_events WHERE sent_at IS NULL'))[0].n) === 0);
    expect(Number((await group()).lag)).toBeGreaterThan(0);
    campaigns = await start('campaigns');
    await distributeMany(10);
    await drained();
    expect(acknowledged.length).toBe(60);
    expect(await counted()).toEqual(expected());
  });

  it('two campaigns processes share the group: every event applied by exactly one of them', async () => {
    // nothing pending now (drained): both processes with a long claim period, so no event is taken over in this test
    await kill(campaigns);
    campaigns = await start('campaigns', { LOG_LEVEL: 'debug', STREAM_CLAIM_IDLE_SECONDS: '600' });
    const second = await start('campaigns', { PORT: '0', LOG_LEVEL: 'debug', STREAM_CLAIM_IDLE_SECONDS: '600' });
    // both have joined the group (a consumer's name carries its pid)
    const consumers = async () => ((await redis.xinfo('CONSUMERS', STREAM, 'campaigns')) as unknown[][]).map((c) => String(Object.fromEntries(chunk(c)).name));
    await until(async () => {
      const names = await consumers();
      return [campaigns, second].every((p) => names.some((name) => name.includes(`-${p.child.pid}-`)));
    });
    const before = acknowledged.length;
    await distributeMany(40, 8);
    await drained();
    expect(acknowledged.length).toBe(before + 40);
    expect(await counted()).toEqual(expected());
    const applied = (p: Spawned) => [...p.stdout().matchAll(/"eventId":"([^"]+)"[^\n]*"msg":"event applied"|"msg":"event applied"[^\n]*"eventId":"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    const byFirst = applied(campaigns);
    const bySecond = applied(second);
    expect(byFirst.length + bySecond.length).toBe(40);
    expect(new Set([...byFirst, ...bySecond]).size).toBe(40);
    await kill(second);
  });

  it('the relay appended to the stream and could not mark the rows sent (then was killed): appended again, counted once', async () => {
    const trigger = `${mysqlDatabaseName(databaseUrl!, 'media')}.outbox_fault`;
    await db.query(`CREATE TRIGGER ${trigger} BEFORE UPDATE ON ${mysqlDatabaseName(databaseUrl!, 'media')}.outbox_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'relay fault'`);
    const before = acknowledged.length;
    const length = await redis.xlen(STREAM);
    await distributeMany(5, 1);
    expect(acknowledged.length).toBe(before + 5);
    // the relay keeps appending them (each round fails at the mark): wait for two copies of each
    while ((await redis.xlen(STREAM)) < length + 10) await new Promise((r) => setTimeout(r, 100));
    await kill(media);
    const [{ n }] = await query<{ n: number }>('media', 'SELECT COUNT(*) AS n FROM {media}.outbox_events WHERE sent_at IS NULL');
    expect(Number(n)).toBe(5);
    await db.query(`DROP TRIGGER ${trigger}`);
    media = await start('media');
    await drained();
    expect(await counted()).toEqual(expected());
  });
});
