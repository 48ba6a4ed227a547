import { compareIds, createDurableLog, DistributionRecordedEvent, DurableConsumer, eventLag, InProcessLog, RedisStreamLog } from '@cascade/kernel';
import Redis from 'ioredis';

/**
 * The durable log's primitives against the real Redis on this machine (Redis Streams) and the
 * in-process log of embedded mode: consumer groups created before the first append, competing
 * consumers, acknowledgement only after the handler succeeded, takeover of a dead consumer's
 * pending entries, trimming only what every group acknowledged, and lag for metrics.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];
const logs: { close(): Promise<void> }[] = [];

function redisLog(claimIdleMs = 60_000) {
  const prefix = `cascade-test-log-${process.pid}-${Date.now()}-${prefixes.length}`;
  prefixes.push(prefix);
  const log = new RedisStreamLog({ url: REDIS_URL, prefix, claimIdleMs });
  logs.push(log);
  return { log, key: `${prefix}:stream:distribution.recorded` };
}

let seq = 0;
function event(quantity = 1): { eventId: string; event: DistributionRecordedEvent } {
  const eventId = `e-${process.pid}-${++seq}`;
  return { eventId, event: { eventId, assetId: 1, activityId: 1, quantity, tenantId: 1, tenantPath: '/1/', userId: '1' } };
}

/** Resolves once `check` holds, polling the real Redis (fails the test by its timeout otherwise). */
async function until(check: () => Promise<boolean> | boolean) {
  while (!(await check())) await new Promise((r) => setTimeout(r, 25));
}

afterAll(async () => {
  for (const log of logs) await log.close();
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
});

describe('Redis Streams', () => {
  it('creates the declared group before the first append: a consumer that starts later reads from the start', async () => {
    const { log, key } = redisLog();
    const events = [event(), event(), event()];
    await log.append('distribution.recorded', events);
    const groups = (await redis.xinfo('GROUPS', key)) as unknown[][];
    expect(groups.map((g) => g[1])).toEqual(['campaigns']);
    expect(await log.lag()).toEqual([{ topic: 'distribution.recorded', group: 'campaigns', pending: 0, undelivered: 3 }]);

    const seen: string[] = [];
    const consumer = await log.consume('distribution.recorded', 'campaigns', async (e, meta) => {
      expect(e.eventId).toBe(meta.eventId);
      seen.push(meta.eventId);
    });
    await until(async () => (await log.lag())[0].undelivered === 0 && (await log.lag())[0].pending === 0);
    expect(seen).toEqual(events.map((e) => e.eventId));
    await consumer.close();
  });

  it('refuses a group the topic does not declare', async () => {
    const { log } = redisLog();
    await expect(log.consume('distribution.recorded', 'campains', async () => undefined)).rejects.toThrow(/not a consumer group/);
  });

  it('two consumers of one group share the events: each is applied once', async () => {
    const { log, key } = redisLog();
    const applied: Record<string, string[]> = { a: [], b: [] };
    const consumers: DurableConsumer[] = [];
    for (const name of ['a', 'b']) {
      consumers.push(await log.consume('distribution.recorded', 'campaigns', async (e) => {
        applied[name].push(e.eventId);
        await new Promise((r) => setImmediate(r));
      }));
    }
    // both consumers have joined (blocked in XREADGROUP) before anything is appended
    await until(async () => ((await redis.xinfo('CONSUMERS', key, 'campaigns').catch(() => [])) as unknown[]).length === 2);
    const events = Array.from({ length: 60 }, () => event());
    for (let i = 0; i < events.length; i += 5) await log.append('distribution.recorded', events.slice(i, i + 5));
    await until(() => applied.a.length + applied.b.length >= events.length);
    await until(async () => (await log.lag())[0].pending === 0);
    const all = [...applied.a, ...applied.b];
    expect(all.sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(new Set(all).size).toBe(all.length);
    for (const c of consumers) await c.close();
  });

  it('a handler that throws leaves its event pending; it is delivered again after the claim period and then acknowledged', async () => {
    const { log } = redisLog(300);
    const attempts: string[] = [];
    const e = event();
    const consumer = await log.consume('distribution.recorded', 'campaigns', async (got) => {
      attempts.push(got.eventId);
      if (attempts.length === 1) throw new Error('the database is down');
    });
    await log.append('distribution.recorded', [e]);
    await until(() => attempts.length >= 2);
    await until(async () => (await log.lag())[0].pending === 0);
    expect(attempts).toEqual([e.eventId, e.eventId]);
    await consumer.close();
  });

  it('entries a dead consumer read and never acknowledged are taken over by a live one', async () => {
    const { log, key } = redisLog(300);
    const events = [event(), event(), event()];
    await log.append('distribution.recorded', events);
    // a consumer that reads and dies: its entries stay pending under its name
    await redis.xreadgroup('GROUP', 'campaigns', 'dead-replica', 'COUNT', 10, 'STREAMS', key, '>');
    expect((await log.lag())[0]).toMatchObject({ pending: 3, undelivered: 0 });
    const seen: string[] = [];
    const consumer = await log.consume('distribution.recorded', 'campaigns', async (e) => void seen.push(e.eventId));
    await until(async () => (await log.lag())[0].pending === 0);
    expect(seen.sort()).toEqual(events.map((e) => e.eventId).sort());
    await consumer.close();
  });

  it('closing a consumer waits for the events it is applying and acknowledges them', async () => {
    const { log } = redisLog();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inHandler = new Promise<void>((r) => (started = r));
    let finished = false;
    const consumer = await log.consume('distribution.recorded', 'campaigns', async () => {
      started();
      await gate;
      finished = true;
    });
    await log.append('distribution.recorded', [event()]);
    await inHandler;
    const closing = consumer.close();
    release();
    await closing;
    expect(finished).toBe(true);
    expect((await log.lag())[0]).toMatchObject({ pending: 0, undelivered: 0 });
  });

  it('trims only what the group acknowledged', async () => {
    const { log, key } = redisLog();
    // many entries, so that a whole macro node can go (MINID ~ trims by node)
    const events = Array.from({ length: 300 }, () => event());
    await log.append('distribution.recorded', events);
    const readSome = (await redis.xreadgroup('GROUP', 'campaigns', 'r', 'COUNT', 250, 'STREAMS', key, '>')) as [string, [string, string[]][]][];
    const ids = readSome[0][1].map(([id]) => id);
    await redis.xack(key, 'campaigns', ...ids.slice(0, 200)); // 50 read and not acknowledged, 50 never read
    await log.trim('distribution.recorded');
    const all = events.length;
    const left = new Set((await redis.xrange(key, '-', '+')).map(([id]) => id));
    const stream = readSome[0][1].map(([id]) => id);
    // every entry from the oldest unacknowledged one on is still there (the 50 never read as well)
    for (const id of stream.slice(200)) expect(left.has(id)).toBe(true);
    expect([...left].filter((id) => compareIds(id, ids[200]) >= 0).length).toBe(100);
    // and some of the acknowledged ones are gone
    expect(left.size).toBeLessThan(all);
  });

  it('orders stream ids numerically', () => {
    expect(compareIds('10-0', '9-5')).toBe(1);
    expect(compareIds('5-2', '5-10')).toBe(-1);
    expect(compareIds('7-1', '7-1')).toBe(0);
  });
});

describe('in-process (embedded mode)', () => {
  it('append resolves once the group’s consumer applied every event, and rejects while none runs or one throws', async () => {
    const log = new InProcessLog();
    await expect(log.append('distribution.recorded', [event()])).rejects.toThrow(/no campaigns consumer/);
    const applied: string[] = [];
    let failNext = false;
    const consumer = await log.consume('distribution.recorded', 'campaigns', async (e) => {
      if (failNext) throw new Error('the database is down');
      applied.push(e.eventId);
    });
    const ok = event();
    await log.append('distribution.recorded', [ok]);
    expect(applied).toEqual([ok.eventId]);
    failNext = true;
    await expect(log.append('distribution.recorded', [event()])).rejects.toThrow(/database is down/);
    await expect(log.consume('distribution.recorded', 'campaigns', async () => undefined)).rejects.toThrow(/already consumes/);
    await consumer.close();
    await expect(log.append('distribution.recorded', [event()])).rejects.toThrow(/no campaigns consumer/);
  });
});

describe('lag for metrics', () => {
  it('eventLag() lists each registered stream group', async () => {
    const prefix = `cascade-test-lag-${process.pid}-${Date.now()}`;
    prefixes.push(prefix);
    const log = createDurableLog({ redisUrl: REDIS_URL, prefix, claimIdleSeconds: 30 });
    await log.append('distribution.recorded', [event(), event()]);
    const lag = await eventLag();
    expect(lag.streams).toContainEqual({ topic: 'distribution.recorded', group: 'campaigns', pending: 0, undelivered: 2 });
    await log.close();
  });
});
