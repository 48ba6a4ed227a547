import Redis from 'ioredis';
import { Logger } from './logger';

/**
 * Counts attempts per key in fixed windows: a key's window starts at its first attempt and
 * lasts `windowMs`; the count then starts over. In memory for one process, in Redis when
 * REDIS_URL is set so every replica shares one count.
 *
 * An attempt is counted BEFORE the work it guards (`hit` answers the count, this one
 * included), so a burst of concurrent attempts can never slip past the limit between a
 * check and a count; an attempt that must not count (a success) is taken back.
 */
export interface AttemptCounter {
  /** Counts one attempt; answers how many the key has made in its current window. */
  hit(key: string): Promise<number>;
  /** Takes one attempt back (it succeeded), never below zero. */
  takeBack(key: string): Promise<void>;
  /** Forgets the key: its next attempt opens a new window. */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface MemoryCounterOptions {
  windowMs: number;
  /** Keys held at most; past it, expired keys go first, then the oldest (default 100,000). */
  maxKeys?: number;
  /** Milliseconds now: injectable so a test can move time without sleeping. */
  now?: () => number;
}

/** One process's counts. Memory stays bounded: expired keys are swept, and at most maxKeys are held. */
export class MemoryAttemptCounter implements AttemptCounter {
  private readonly counts = new Map<string, { count: number; endsAt: number }>();
  private readonly maxKeys: number;
  private readonly now: () => number;
  private nextSweepAt = 0;

  constructor(private readonly options: MemoryCounterOptions) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  async hit(key: string): Promise<number> {
    const now = this.now();
    this.sweepEveryWindow(now);
    const entry = this.live(key, now);
    if (entry) return ++entry.count;
    if (this.counts.size >= this.maxKeys) this.makeRoom(now);
    this.counts.set(key, { count: 1, endsAt: now + this.options.windowMs });
    return 1;
  }

  async takeBack(key: string): Promise<void> {
    const entry = this.live(key, this.now());
    if (entry && entry.count > 0) entry.count--;
  }

  async reset(key: string): Promise<void> {
    this.counts.delete(key);
  }

  async close(): Promise<void> {
    this.counts.clear();
  }

  /** Keys held now (for the memory-bound test). */
  get size(): number {
    return this.counts.size;
  }

  private live(key: string, now: number) {
    const entry = this.counts.get(key);
    if (entry && entry.endsAt <= now) {
      this.counts.delete(key);
      return undefined;
    }
    return entry;
  }

  /** At most once a window, drop every expired key: a key nobody asks about again still goes. */
  private sweepEveryWindow(now: number) {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.options.windowMs;
    for (const [key, entry] of this.counts) if (entry.endsAt <= now) this.counts.delete(key);
  }

  /** Full: expired keys first, then the oldest windows (a Map iterates in insertion order). */
  private makeRoom(now: number) {
    this.nextSweepAt = 0;
    this.sweepEveryWindow(now);
    for (const key of this.counts.keys()) {
      if (this.counts.size < this.maxKeys) break;
      this.counts.delete(key);
    }
  }
}

/** INCR and, on a key's first attempt, its expiry — in one script, so no key is left without one. */
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** DECR only a key that exists and is above zero (DECR on a missing key would create one with no expiry). */
const TAKE_BACK = `local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return n`;

export interface RedisCounterOptions {
  url: string;
  windowMs: number;
  /** Every key starts with it (deployments sharing one Redis keep apart by it). */
  prefix: string;
  logger?: Logger;
}

/** Counts shared by every process using the same Redis and prefix. */
export class RedisAttemptCounter implements AttemptCounter {
  private readonly redis: Redis;

  constructor(private readonly options: RedisCounterOptions) {
    this.redis = new Redis(options.url, {
      // an answer within a few reconnects, or an error: a sign-in must not hang while Redis is away
      maxRetriesPerRequest: 2,
      retryStrategy: (times: number) => Math.min(times * 100, 2000),
      connectionName: `${options.prefix}-attempts`,
    });
    this.redis.on('error', (err) => options.logger?.warn({ err: err.message }, 'redis connection error (retrying)'));
  }

  private key(key: string) {
    return `${this.options.prefix}:${key}`;
  }

  async hit(key: string): Promise<number> {
    return Number(await this.redis.eval(HIT, 1, this.key(key), String(this.options.windowMs)));
  }

  async takeBack(key: string): Promise<void> {
    await this.redis.eval(TAKE_BACK, 1, this.key(key));
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createAttemptCounter(options: { redisUrl?: string; prefix: string; windowMs: number; logger?: Logger }): AttemptCounter {
  return options.redisUrl
    ? new RedisAttemptCounter({ url: options.redisUrl, prefix: options.prefix, windowMs: options.windowMs, logger: options.logger })
    : new MemoryAttemptCounter({ windowMs: options.windowMs });
}
