import { AttemptCounter, MemoryAttemptCounter, RedisAttemptCounter } from '@cascade/kernel';
import Redis from 'ioredis';

/**
 * The attempt counters behind signIn's limits (issue 10, item 5): the same contract in memory
 * and in the real Redis on this machine. The in-memory counter's clock is injected, so its
 * windows pass without sleeping; Redis keeps its own clock, so its window is checked by the
 * key's expiry and, once, by waiting for a 300 ms window to pass (a positive event, polled).
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `cascade-test-attempts-${process.pid}-${Date.now()}`;
const redis = new Redis(REDIS_URL);
const opened: AttemptCounter[] = [];

afterAll(async () => {
  for (const counter of opened) await counter.close();
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

function redisCounter(windowMs: number, prefix = PREFIX) {
  const counter = new RedisAttemptCounter({ url: REDIS_URL, prefix, windowMs });
  opened.push(counter);
  return counter;
}

describe.each([
  ['in memory', () => new MemoryAttemptCounter({ windowMs: 60_000 })],
  ['in Redis', () => redisCounter(60_000, `${PREFIX}-${Math.random().toString(36).slice(2)}`)],
])('%s', (_name, make) => {
  it('counts attempts per key, takes one back (never below zero) and resets', async () => {
    const counter = make();
    expect([await counter.hit('a'), await counter.hit('a'), await counter.hit('a')]).toEqual([1, 2, 3]);
    expect(await counter.hit('b')).toBe(1);
    await counter.takeBack('a');
    expect(await counter.hit('a')).toBe(3);
    await counter.reset('a');
    expect(await counter.hit('a')).toBe(1);
    await counter.takeBack('c');
    await counter.takeBack('c');
    expect(await counter.hit('c')).toBe(1);
  });

  it('answers every one of 50 concurrent attempts with its own count', async () => {
    const counter = make();
    const counts = await Promise.all(Array.from({ length: 50 }, () => counter.hit('burst')));
    expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

describe('in memory, with a clock of its own', () => {
  it('starts over once the window that began with the first attempt has passed', async () => {
    let now = 1_000_000;
    const counter = new MemoryAttemptCounter({ windowMs: 15 * 60_000, now: () => now });
    expect(await counter.hit('k')).toBe(1);
    now += 14 * 60_000;
    expect(await counter.hit('k')).toBe(2); // later attempts do not move the window
    now += 60_000 - 1;
    expect(await counter.hit('k')).toBe(3);
    now += 1;
    expect(await counter.hit('k')).toBe(1);
  });

  it('holds bounded memory: expired keys are swept, and past maxKeys the oldest go', async () => {
    let now = 0;
    const counter = new MemoryAttemptCounter({ windowMs: 1000, maxKeys: 100, now: () => now });
    for (let i = 0; i < 100; i++) await counter.hit(`old-${i}`);
    expect(counter.size).toBe(100);
    now += 1000; // all expired: the next attempt sweeps them
    await counter.hit('new');
    expect(counter.size).toBe(1);
    for (let i = 0; i < 250; i++) await counter.hit(`spray-${i}`);
    expect(counter.size).toBe(100);
    expect(await counter.hit('spray-249')).toBe(2); // the newest kept their counts
  });
});

describe('in Redis, its expiry and its replicas', () => {
  it('gives each key an expiry of the window at its first attempt, which later attempts do not move', async () => {
    const counter = redisCounter(60_000);
    await counter.hit('ttl');
    const first = await redis.pttl(`${PREFIX}:ttl`);
    expect(first).toBeGreaterThan(50_000);
    expect(first).toBeLessThanOrEqual(60_000);
    await counter.hit('ttl');
    expect(await redis.pttl(`${PREFIX}:ttl`)).toBeLessThanOrEqual(first);
    // taking back on a key that is gone leaves no key behind (a DECR would make one that never expires)
    await counter.takeBack('never-hit');
    expect(await redis.exists(`${PREFIX}:never-hit`)).toBe(0);
  });

  it('shares one count between two connections (two replicas), and starts over when the window passes', async () => {
    const a = redisCounter(300);
    const b = redisCounter(300);
    expect(await a.hit('shared')).toBe(1);
    expect(await b.hit('shared')).toBe(2);
    const concurrent = await Promise.all([a.hit('shared'), b.hit('shared'), a.hit('shared'), b.hit('shared')]);
    expect([...concurrent].sort()).toEqual([3, 4, 5, 6]);
    const started = Date.now();
    while ((await redis.exists(`${PREFIX}:shared`)) === 1) {
      if (Date.now() - started > 10_000) throw new Error('the key outlived its 300 ms window by 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await b.hit('shared')).toBe(1);
  });
});
