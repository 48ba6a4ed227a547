import { StreamLag } from './durable-log';

/**
 * What this process holds back of durable events, for metrics (/metrics reads eventLag()):
 * each outbox it relays (rows not sent yet, and the age of the oldest) and each stream its
 * consumers read (pending and undelivered per group). Sources register themselves when they
 * start and leave when they stop.
 */
export interface OutboxLag {
  service: string;
  unsent: number;
  /** Seconds since the oldest unsent row was written (0 when none). */
  oldestSeconds: number;
}

export interface EventLag {
  outboxes: OutboxLag[];
  streams: StreamLag[];
}

const outboxes = new Map<object, () => Promise<OutboxLag>>();
const streams = new Map<object, () => Promise<StreamLag[]>>();

export function registerOutboxLag(owner: object, read: () => Promise<OutboxLag>): () => void {
  outboxes.set(owner, read);
  return () => outboxes.delete(owner);
}

export function registerStreamLag(owner: object, read: () => Promise<StreamLag[]>): () => void {
  streams.set(owner, read);
  return () => streams.delete(owner);
}

/** Every registered source read now; one that fails (its database or Redis down) is left out and logged by the caller's metrics. */
export async function eventLag(): Promise<EventLag> {
  const settled = async <T>(reads: (() => Promise<T>)[]) =>
    (await Promise.allSettled(reads.map((read) => read()))).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const streamLists = await settled([...streams.values()]);
  // one log may be registered by several consumers of one process: each topic × group once
  const seen = new Set<string>();
  const unique = streamLists.flat().filter((s) => !seen.has(`${s.topic}|${s.group}`) && seen.add(`${s.topic}|${s.group}`));
  return { outboxes: await settled([...outboxes.values()]), streams: unique };
}
