import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { checkGroup, DURABLE_TOPICS, DurableConsumer, DurableEventMap, DurableHandler, DurableLog, DurableTopic, InProcessLog, StreamLag } from './durable-log';
import { registerStreamLag } from './event-lag';
import { Logger } from './logger';

/**
 * The durable log on Redis Streams: one stream per topic (`<prefix>:stream:<topic>`), one
 * consumer group per consuming service. XADD appends; each replica of a service reads as its
 * own consumer of the group (XREADGROUP), so an event goes to one replica; XACK after the
 * handler succeeded. An entry whose consumer died (or whose handler threw) stays pending and is
 * taken over by any live consumer once idle for `claimIdleMs` (XAUTOCLAIM). Delivery is at
 * least once; consumers are idempotent by eventId.
 *
 * Why Redis Streams and not NATS JetStream: production already requires Redis (bus, fan-out,
 * sign-in limits), so this adds no server to run, secure, back up and monitor; a consumer group
 * is what the job needs (competing consumers, pending list, takeover) and ioredis speaks it.
 * Durability is Redis's: run it with appendonly (AOF) and a replica (Sentinel) in production;
 * if Redis loses entries anyway the outbox rows (kept 7 days) can be sent again (README).
 */
export interface RedisStreamOptions {
  url: string;
  prefix: string;
  logger?: Logger;
  /** An entry pending this long (its consumer died, or its handler threw) is taken over. */
  claimIdleMs: number;
  /** How long one XADD/XACK may take before it fails (the relay then tries again later). */
  commandTimeoutMs?: number;
}

type Fields = string[];
type Entry = [id: string, fields: Fields];

export class RedisStreamLog implements DurableLog {
  private readonly redis: Redis;
  private readonly groupsReady = new Map<DurableTopic, Promise<void>>();
  private readonly consumers = new Set<RedisStreamConsumer>();
  /** Topics this process appends to or reads: the ones its lag() reports. */
  private readonly used = new Set<DurableTopic>();

  constructor(private readonly options: RedisStreamOptions) {
    this.redis = new Redis(options.url, this.connectionOptions('streams', options.commandTimeoutMs ?? 5000));
    this.redis.on('error', (err) => options.logger?.warn({ err: err.message }, 'redis (streams) connection error (retrying)'));
  }

  /** Options of every connection: retried for ever (the caller's timeout bounds a command), named for CLIENT LIST. */
  connectionOptions(role: string, commandTimeout: number) {
    return {
      maxRetriesPerRequest: null,
      retryStrategy: (times: number) => Math.min(times * 100, 2000),
      connectionName: `${this.options.prefix}-${role}`,
      commandTimeout,
      // a service that neither writes nor reads durable events opens no connection
      lazyConnect: true,
    };
  }

  key(topic: DurableTopic): string {
    return `${this.options.prefix}:stream:${topic}`;
  }

  /** Creates the topic's declared groups (from the stream's start) once per process; an existing group is kept as it is. */
  ensureGroups(topic: DurableTopic): Promise<void> {
    let ready = this.groupsReady.get(topic);
    if (!ready) {
      ready = Promise.all(
        DURABLE_TOPICS[topic].groups.map((group) =>
          this.redis.xgroup('CREATE', this.key(topic), group, '0', 'MKSTREAM').catch((err: Error) => {
            if (!/BUSYGROUP/.test(err.message)) throw err;
          }),
        ),
      ).then(() => undefined);
      ready.catch(() => this.groupsReady.delete(topic));
      this.groupsReady.set(topic, ready);
    }
    return ready;
  }

  /** After NOGROUP (the stream was deleted: FLUSHALL, a Redis that lost its data): create the groups again. */
  forgetGroups(topic: DurableTopic): void {
    this.groupsReady.delete(topic);
  }

  async append<K extends DurableTopic>(topic: K, events: { eventId: string; event: DurableEventMap[K] }[]): Promise<void> {
    if (events.length === 0) return;
    this.used.add(topic);
    await this.ensureGroups(topic);
    const batch = this.redis.multi();
    for (const { eventId, event } of events) batch.xadd(this.key(topic), '*', 'id', eventId, 'event', JSON.stringify(event));
    const results = await batch.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('XADD was not executed');
  }

  async consume<K extends DurableTopic>(topic: K, group: string, handler: DurableHandler<K>): Promise<DurableConsumer> {
    checkGroup(topic, group);
    this.used.add(topic);
    const consumer = new RedisStreamConsumer(this, this.redis, topic, group, handler, this.options);
    this.consumers.add(consumer);
    consumer.start();
    return {
      close: async () => {
        this.consumers.delete(consumer);
        await consumer.close();
      },
    };
  }

  async lag(): Promise<StreamLag[]> {
    const lags: StreamLag[] = [];
    for (const topic of this.used) {
      for (const group of await this.groupInfo(topic)) {
        if (!DURABLE_TOPICS[topic].groups.includes(group.name)) continue;
        lags.push({ topic, group: group.name, pending: group.pending, undelivered: group.lag });
      }
    }
    return lags;
  }

  /**
   * Removes entries every declared group has acknowledged: those before the oldest one still
   * pending in any group, and never past what a group has not read yet. No trim while a declared
   * group is missing (its consumer will read from the start).
   */
  async trim(topic: DurableTopic): Promise<void> {
    const groups = await this.groupInfo(topic);
    let keepFrom: string | null = null;
    for (const name of DURABLE_TOPICS[topic].groups) {
      const group = groups.find((g) => g.name === name);
      if (!group) return;
      let from = group.lastDelivered;
      if (group.pending > 0) {
        const summary = (await this.redis.xpending(this.key(topic), name)) as [number, string | null, string | null, unknown];
        if (summary[1]) from = summary[1];
      }
      if (keepFrom === null || compareIds(from, keepFrom) < 0) keepFrom = from;
    }
    if (keepFrom && keepFrom !== '0-0') await this.redis.xtrim(this.key(topic), 'MINID', '~', keepFrom);
  }

  private async groupInfo(topic: DurableTopic) {
    let raw: unknown[];
    try {
      raw = (await this.redis.xinfo('GROUPS', this.key(topic))) as unknown[];
    } catch (err) {
      if (/no such key/i.test((err as Error).message)) return [];
      throw err;
    }
    return raw.map((flat) => {
      const info = pairs(flat as unknown[]);
      return {
        name: String(info.name),
        pending: Number(info.pending),
        lastDelivered: String(info['last-delivered-id']),
        lag: info.lag === null || info.lag === undefined ? null : Number(info.lag),
      };
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.close()));
    this.consumers.clear();
    this.redis.disconnect();
  }
}

/** One replica's reader of one group: its own blocking connection, its own consumer name. */
class RedisStreamConsumer {
  /** Unique per process start: a restarted replica is a new consumer; what the old one held is taken over when idle. */
  readonly name = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly blocking: Redis;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private readonly blockMs: number;

  constructor(
    private readonly log: RedisStreamLog,
    private readonly redis: Redis,
    private readonly topic: DurableTopic,
    private readonly group: string,
    private readonly handler: DurableHandler<any>,
    private readonly options: RedisStreamOptions,
  ) {
    // wake up at least twice per claim period to take over entries left by a dead consumer
    this.blockMs = Math.max(100, Math.min(5000, Math.floor(options.claimIdleMs / 2)));
    this.blocking = new Redis(options.url, log.connectionOptions(`stream-${group}`, this.blockMs + 10_000));
    this.blocking.on('error', (err) => options.logger?.warn({ err: err.message }, 'redis (stream reader) connection error (retrying)'));
  }

  start(): void {
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    const key = this.log.key(this.topic);
    let pause = 250;
    let nextClaim = 0;
    let nextCleanup = Date.now() + 60_000;
    let joined = false;
    while (!this.stopped) {
      try {
        await this.log.ensureGroups(this.topic);
        if (!joined) {
          // listed in XINFO CONSUMERS from now on, even before it is given anything (Redis 7.0 adds a consumer only when served)
          await this.redis.xgroup('CREATECONSUMER', key, this.group, this.name);
          joined = true;
        }
        if (Date.now() >= nextClaim) {
          await this.claimIdle(key);
          nextClaim = Date.now() + this.blockMs;
        }
        if (Date.now() >= nextCleanup) {
          await this.removeIdleConsumers(key);
          nextCleanup = Date.now() + 60_000;
        }
        const reply = (await this.blocking.xreadgroup('GROUP', this.group, this.name, 'COUNT', 100, 'BLOCK', this.blockMs, 'STREAMS', key, '>')) as
          | [string, Entry[]][]
          | null;
        if (reply) await this.apply(key, reply[0][1]);
        pause = 250;
      } catch (err) {
        if (this.stopped) break;
        if (/NOGROUP/.test((err as Error).message)) {
          this.log.forgetGroups(this.topic);
          joined = false;
        }
        this.options.logger?.warn({ err: (err as Error).message, topic: this.topic, group: this.group }, 'stream read failed (retrying)');
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, 5000);
      }
    }
  }

  /** Takes over entries pending longer than claimIdleMs in this group (any consumer's, this one's included) and applies them. */
  private async claimIdle(key: string): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.redis.xautoclaim(key, this.group, this.name, this.options.claimIdleMs, cursor, 'COUNT', 100)) as [string, Entry[], string[]];
      if (entries.length) {
        this.options.logger?.info({ topic: this.topic, group: this.group, count: entries.length }, 'took over pending events');
        await this.apply(key, entries);
      }
      cursor = next;
    } while (cursor !== '0-0' && !this.stopped);
  }

  /** Consumers of earlier processes that hold nothing and were idle an hour: dropped from the group's list. */
  private async removeIdleConsumers(key: string): Promise<void> {
    const consumers = (await this.redis.xinfo('CONSUMERS', key, this.group)) as unknown[][];
    for (const flat of consumers) {
      const info = pairs(flat);
      if (String(info.name) !== this.name && Number(info.pending) === 0 && Number(info.idle) > 3_600_000) {
        await this.redis.xgroup('DELCONSUMER', key, this.group, String(info.name));
      }
    }
  }

  /** Applies entries concurrently (increments of one statistic then share a group commit); acknowledges those that succeeded. */
  private async apply(key: string, entries: Entry[]): Promise<void> {
    const done: string[] = [];
    await Promise.all(
      entries.map(async ([id, fields]) => {
        const entry = pairs(fields);
        let event: unknown;
        try {
          event = JSON.parse(String(entry.event));
        } catch {
          // never readable, however often delivered: acknowledged, and said loudly
          this.options.logger?.error({ topic: this.topic, id, eventId: entry.id }, 'unreadable stream entry dropped');
          done.push(id);
          return;
        }
        try {
          await this.handler(event, { eventId: String(entry.id) });
          this.options.logger?.debug({ topic: this.topic, group: this.group, consumer: this.name, eventId: entry.id }, 'event applied');
          done.push(id);
        } catch (err) {
          this.options.logger?.error({ err, topic: this.topic, group: this.group, eventId: entry.id }, 'event not applied (delivered again later)');
        }
      }),
    );
    if (done.length) await this.redis.xack(key, this.group, ...done);
  }

  async close(): Promise<void> {
    this.stopped = true;
    // ends a blocked XREADGROUP at once; what is being applied finishes and is acknowledged
    this.blocking.disconnect();
    await this.running;
  }
}

/** [k1, v1, k2, v2, …] as an object. */
function pairs(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/** Orders stream ids (`<ms>-<seq>`). */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  if (as !== bs) return (as ?? 0n) < (bs ?? 0n) ? -1 : 1;
  return 0;
}

/** The durable log of this process: Redis Streams when REDIS_URL is set, else in-process (embedded mode). Its lag is registered for metrics. */
export function createDurableLog(options: { redisUrl?: string; prefix: string; logger?: Logger; claimIdleSeconds: number }): DurableLog {
  const log: DurableLog = options.redisUrl
    ? new RedisStreamLog({ url: options.redisUrl, prefix: options.prefix, logger: options.logger, claimIdleMs: options.claimIdleSeconds * 1000 })
    : new InProcessLog(options.logger);
  const unregister = registerStreamLag(log, () => log.lag());
  const close = log.close.bind(log);
  log.close = async () => {
    unregister();
    await close();
  };
  return log;
}
