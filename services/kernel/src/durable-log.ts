import { DistributionRecordedEvent } from './events';
import { Logger } from './logger';

/**
 * Events that change data in another service travel here, not on the pub/sub bus (events.ts),
 * which is for live fan-out only: pub/sub drops an event nobody is subscribed to at that
 * moment, so a consumer that is down would lose it for good. The path of a durable event:
 *
 *   the writer's transaction ── inserts ──▶ outbox_events (outbox.ts, the writer's own database)
 *   OutboxRelay (outbox-relay.ts) ── appends ──▶ a DurableLog (Redis Streams, or in-process)
 *   each consumer group (one per consuming service) ── reads, applies idempotently, acks
 *
 * Every topic names its consumer groups here, so the relay creates them before it appends the
 * first event: an event is never appended to a stream nobody will read from the start.
 */
export interface DurableEventMap {
  'distribution.recorded': DistributionRecordedEvent;
}

export type DurableTopic = keyof DurableEventMap;

/** Every durable event carries a unique id; consumers apply each id once. */
export interface DurableEvent {
  eventId: string;
}

/** The consumer groups of each topic: one per consuming service (its name), so N replicas share the work. */
export const DURABLE_TOPICS: { [K in DurableTopic]: { groups: readonly string[] } } = {
  'distribution.recorded': { groups: ['campaigns'] },
};

export function isDurableTopic(topic: string): topic is DurableTopic {
  return Object.prototype.hasOwnProperty.call(DURABLE_TOPICS, topic);
}

/**
 * Applies one event. Resolving acknowledges it (also when the consumer decided not to apply it:
 * a closed campaign); throwing leaves it pending, to be delivered again (to this or another
 * replica), so a handler must be idempotent and throw only for what may pass (a database down).
 */
export type DurableHandler<K extends DurableTopic> = (event: DurableEventMap[K], meta: { eventId: string }) => Promise<void>;

export interface DurableConsumer {
  /** Stops reading; resolves once the events being applied are finished (and acknowledged when they succeeded). */
  close(): Promise<void>;
}

/** What one consumer group holds back: delivered but not acknowledged, and not delivered yet. */
export interface StreamLag {
  topic: DurableTopic;
  group: string;
  /** Delivered to a consumer, not acknowledged (being applied, or its consumer died: taken over after STREAM_CLAIM_IDLE_SECONDS). */
  pending: number;
  /** In the stream, not delivered to this group yet (null when Redis cannot tell). */
  undelivered: number | null;
}

export interface DurableLog {
  /**
   * Appends events (each with its eventId) to the topic. Resolves once the log holds them: Redis
   * answered XADD, or (in-process) every group's handler applied them. The relay marks outbox rows
   * sent only after this, so a rejection leaves them to be appended again.
   */
  append<K extends DurableTopic>(topic: K, events: { eventId: string; event: DurableEventMap[K] }[]): Promise<void>;
  /** Joins the topic's consumer group `group` (a name from DURABLE_TOPICS) and applies its events with `handler`. */
  consume<K extends DurableTopic>(topic: K, group: string, handler: DurableHandler<K>): Promise<DurableConsumer>;
  /** Per topic × group: events held back (for metrics). */
  lag(): Promise<StreamLag[]>;
  /** Drops events every group has acknowledged (the relay calls it now and then). */
  trim(topic: DurableTopic): Promise<void>;
  close(): Promise<void>;
}

/** A group must be declared for its topic: a typo would otherwise read nothing, or never be trimmed for. */
export function checkGroup(topic: DurableTopic, group: string): void {
  if (!DURABLE_TOPICS[topic].groups.includes(group)) throw new Error(`${group} is not a consumer group of ${topic} (DURABLE_TOPICS)`);
}

/**
 * Embedded mode (no REDIS_URL): one process holds every service, so the log is a direct call.
 * append() resolves only once every declared group's consumer applied every event, and rejects
 * when one threw or is not running yet: the relay then leaves the rows unsent in the outbox and
 * tries again. Nothing lives only in memory: the outbox row is the durable copy until applied.
 */
export class InProcessLog implements DurableLog {
  private readonly handlers = new Map<string, { handler: DurableHandler<any>; inFlight: Set<Promise<unknown>> }>();

  constructor(private readonly logger?: Logger) {}

  async append<K extends DurableTopic>(topic: K, events: { eventId: string; event: DurableEventMap[K] }[]): Promise<void> {
    for (const group of DURABLE_TOPICS[topic].groups) {
      const consumer = this.handlers.get(`${topic}|${group}`);
      if (!consumer) throw new Error(`no ${group} consumer of ${topic} is running in this process yet`);
      const results = await Promise.allSettled(
        events.map(({ eventId, event }) => {
          // a copy, as a stream would deliver: no consumer shares the writer's object
          const applied = consumer.handler(JSON.parse(JSON.stringify(event)), { eventId });
          consumer.inFlight.add(applied);
          return applied.finally(() => consumer.inFlight.delete(applied));
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  async consume<K extends DurableTopic>(topic: K, group: string, handler: DurableHandler<K>): Promise<DurableConsumer> {
    checkGroup(topic, group);
    const key = `${topic}|${group}`;
    if (this.handlers.has(key)) throw new Error(`${group} already consumes ${topic} in this process`);
    const consumer = { handler, inFlight: new Set<Promise<unknown>>() };
    this.handlers.set(key, consumer);
    this.logger?.debug({ topic, group }, 'consuming in-process');
    return {
      close: async () => {
        if (this.handlers.get(key) === consumer) this.handlers.delete(key);
        await Promise.allSettled([...consumer.inFlight]);
      },
    };
  }

  async lag(): Promise<StreamLag[]> {
    // nothing is held here: what is not applied yet is still in the writer's outbox
    return [];
  }

  async trim(): Promise<void> {}

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
