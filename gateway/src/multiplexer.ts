import { AsyncQueue } from '@cascade/kernel';
import { ExecutionResult } from 'graphql';

type Result = AsyncIterable<ExecutionResult> | ExecutionResult;

/** Root fields whose latest payload per id a late joiner receives at once (first event = current state). */
const REPLAYED_FIELDS = new Set(['statisticChanged', 'rollupChanged']);

interface Hub {
  ready: Promise<Result>;
  upstream: AsyncIterator<ExecutionResult> | null;
  subscribers: Set<AsyncQueue<ExecutionResult>>;
  latest: Map<string, ExecutionResult>;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return !!value && typeof (value as any)[Symbol.asyncIterator] === 'function';
}

/** The key of a payload for replay: "<field>:<id>", or null when it is not replayed. */
function replayKey(result: ExecutionResult): string | null {
  const data = result.data as Record<string, { id?: unknown } | null> | null | undefined;
  if (!data) return null;
  const [field] = Object.keys(data);
  if (!field || !REPLAYED_FIELDS.has(field)) return null;
  const id = data[field]?.id;
  return id === undefined ? field : `${field}:${String(id)}`;
}

/**
 * Subscribers with the same document, variables and scope share one upstream subscription
 * and one resolved payload per gateway process. Hive Gateway opens one upstream subscription
 * (and one entity fetch per event) per client subscription; this sits in front of it.
 */
export class SubscriptionMultiplexer {
  private readonly hubs = new Map<string, Hub>();

  /** Upstream subscriptions open now (for tests and metrics). */
  get upstreamCount(): number {
    let count = 0;
    for (const hub of this.hubs.values()) if (hub.upstream) count++;
    return count;
  }

  get subscriberCount(): number {
    let count = 0;
    for (const hub of this.hubs.values()) count += hub.subscribers.size;
    return count;
  }

  async subscribe(key: string, start: () => Promise<Result> | Result): Promise<Result> {
    let hub = this.hubs.get(key);
    if (!hub) {
      hub = { ready: Promise.resolve().then(start), upstream: null, subscribers: new Set(), latest: new Map() };
      this.hubs.set(key, hub);
      const created = hub;
      created.ready.then(
        (result) => {
          if (isAsyncIterable(result)) {
            created.upstream = result[Symbol.asyncIterator]();
            void this.pump(key, created);
          } else if (this.hubs.get(key) === created) {
            this.hubs.delete(key); // an error result: nothing to share, the next subscriber retries
          }
        },
        () => this.hubs.get(key) === created && this.hubs.delete(key),
      );
    }
    const result = await hub.ready;
    if (!isAsyncIterable(result)) return result;
    const queue: AsyncQueue<ExecutionResult> = new AsyncQueue(() => this.leave(key, hub!, queue));
    hub.subscribers.add(queue);
    for (const value of hub.latest.values()) queue.push(value);
    return queue;
  }

  private async pump(key: string, hub: Hub) {
    try {
      while (hub.upstream) {
        const { value, done } = await hub.upstream.next();
        if (done) break;
        const replay = replayKey(value);
        if (replay) hub.latest.set(replay, value);
        for (const subscriber of hub.subscribers) subscriber.push(value);
      }
      for (const subscriber of [...hub.subscribers]) subscriber.end();
    } catch (err) {
      for (const subscriber of [...hub.subscribers]) subscriber.end(err);
    } finally {
      if (this.hubs.get(key) === hub) this.hubs.delete(key);
      hub.upstream = null;
    }
  }

  private leave(key: string, hub: Hub, queue: AsyncQueue<ExecutionResult>) {
    hub.subscribers.delete(queue);
    if (hub.subscribers.size > 0) return;
    if (this.hubs.get(key) === hub) this.hubs.delete(key);
    const upstream = hub.upstream;
    hub.upstream = null;
    void upstream?.return?.();
  }
}
