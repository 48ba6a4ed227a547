import Redis from 'ioredis';
import { EventEmitter } from 'node:events';
import { AsyncQueue } from './async-queue';
import { Logger } from './logger';

/**
 * Domain events between services (statistic changed, feed entry posted, roll-up changed).
 * In-process when REDIS_URL is unset; Redis pub/sub when it is set, so events cross
 * processes and machines.
 */
/**
 * A statistic's state after a committed change: the event carries the value, so the live
 * stream needs no read of it (feeds streams it as it came); `version` (raised by every change,
 * in its transaction) tells a later state from an earlier one delivered after it.
 */
export interface StatisticChangedEvent {
  activityId: number;
  statisticId: number;
  tenantPath: string;
  indicator: string;
  value: number;
  approximate: boolean;
  version: number;
}

export interface RollupChangedEvent {
  /** Every tenant whose totals changed (the writer and its ancestors). */
  tenantIds: number[];
  /** The directive ids whose totals changed (0: all campaigns). */
  directiveIds: number[];
}

export interface FeedEntryPostedEvent {
  activityId: number;
  entryId: number;
  tenantPath: string;
}

/** A durable event (durable-log.ts: outbox and stream), not on this bus. */
export interface DistributionRecordedEvent {
  /** Unique per distribution: the receiver applies each one once. */
  eventId: string;
  assetId: number;
  activityId: number;
  quantity: number;
  tenantId: number;
  tenantPath: string;
  userId: string;
}

export interface ScreenRevokedEvent {
  linkId: string;
}

/** A report was sent up, returned or accepted (its parent's boards show reporting progress). */
export interface ReportChangedEvent {
  reportId: number;
  campaignId: number;
  tenantId: number;
  tenantPath: string;
  status: string;
}

export interface EventMap {
  'statistic.changed': StatisticChangedEvent;
  'rollup.changed': RollupChangedEvent;
  'feed.posted': FeedEntryPostedEvent;
  'screen.revoked': ScreenRevokedEvent;
  'report.changed': ReportChangedEvent;
}

export type Topic = keyof EventMap;

export interface EventBus {
  publish<K extends Topic>(topic: K, event: EventMap[K]): Promise<void>;
  /** Calls `handler` for every event on the topic until the returned function is called. */
  subscribe<K extends Topic>(topic: K, handler: (event: EventMap[K]) => void): Promise<() => void>;
  close(): Promise<void>;
}

export class InProcessBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish<K extends Topic>(topic: K, event: EventMap[K]) {
    // a copy, as a network bus would deliver, so no subscriber shares the publisher's object
    this.emitter.emit(topic, JSON.parse(JSON.stringify(event)));
  }

  async subscribe<K extends Topic>(topic: K, handler: (event: EventMap[K]) => void) {
    this.emitter.on(topic, handler);
    return () => {
      this.emitter.off(topic, handler);
    };
  }

  /** Handlers listening on a topic now (the feeds service holds one per upstream subscription). */
  listenerCount(topic: Topic): number {
    return this.emitter.listenerCount(topic);
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}

/**
 * Redis pub/sub (ioredis): one connection publishes, one subscribes per process; each
 * channel is subscribed once and fanned out locally. ioredis reconnects and resubscribes
 * by itself after the connection drops.
 */
export class RedisBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly channels = new Map<string, number>();
  private publisher: Redis;
  private subscriber: Redis;

  constructor(url: string, private readonly prefix: string, logger?: Logger) {
    const options = {
      maxRetriesPerRequest: null,
      retryStrategy: (times: number) => Math.min(times * 100, 2000),
      connectionName: `${prefix}-bus`,
    };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (err) => logger?.warn({ err: err.message }, 'redis connection error (retrying)'));
    }
    this.subscriber.on('message', (channel: string, message: string) => {
      try {
        this.emitter.emit(channel, JSON.parse(message));
      } catch (err) {
        logger?.error({ err, channel }, 'unreadable event');
      }
    });
  }

  private channel(topic: Topic) {
    return `${this.prefix}:${topic}`;
  }

  async publish<K extends Topic>(topic: K, event: EventMap[K]) {
    await this.publisher.publish(this.channel(topic), JSON.stringify(event));
  }

  async subscribe<K extends Topic>(topic: K, handler: (event: EventMap[K]) => void) {
    const channel = this.channel(topic);
    const count = this.channels.get(channel) ?? 0;
    this.channels.set(channel, count + 1);
    this.emitter.on(channel, handler);
    if (count === 0) {
      // not before the connection is ready: its name (CLIENT SETNAME) must go first
      if (this.subscriber.status !== 'ready') await new Promise((resolve) => this.subscriber.once('ready', resolve));
      await this.subscriber.subscribe(channel);
    }
    return () => {
      this.emitter.off(channel, handler);
      const left = (this.channels.get(channel) ?? 1) - 1;
      this.channels.set(channel, left);
      if (left === 0) void this.subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }

  /** Handlers listening on a topic in this process. */
  listenerCount(topic: Topic): number {
    return this.emitter.listenerCount(this.channel(topic));
  }

  async close() {
    this.emitter.removeAllListeners();
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}

export function createEventBus(options: { redisUrl?: string; prefix: string; logger?: Logger }): EventBus {
  return options.redisUrl ? new RedisBus(options.redisUrl, options.prefix, options.logger) : new InProcessBus();
}

/**
 * Events of one topic as an async iterator: `initial` values first (a subscriber's first
 * event is the current state), then every event that passes `filter`, mapped to a payload.
 * Subscribes before reading the initial state so that nothing falls between the two.
 */
export async function eventStream<K extends Topic, P>(
  bus: EventBus,
  topic: K,
  filter: (event: EventMap[K]) => boolean,
  toPayload: (event: EventMap[K]) => P,
  initial: () => Promise<P[]>,
): Promise<AsyncIterableIterator<P>> {
  let unsubscribe: () => void = () => undefined;
  const queue = new AsyncQueue<P>(() => unsubscribe());
  const buffered: P[] = [];
  let ready = false;
  unsubscribe = await bus.subscribe(topic, (event) => {
    if (!filter(event)) return;
    const payload = toPayload(event);
    if (ready) queue.push(payload);
    else buffered.push(payload);
  });
  try {
    for (const value of await initial()) queue.push(value);
  } catch (err) {
    unsubscribe();
    throw err;
  }
  ready = true;
  for (const value of buffered) queue.push(value);
  return queue;
}
