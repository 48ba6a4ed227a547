import { AsyncQueue } from '@cascade/kernel';
import { ExecutionResult } from 'graphql';
import { ReplayPlan } from './subscription-replay';

type Result = AsyncIterable<ExecutionResult> | ExecutionResult;

interface Hub {
  ready: Promise<Result>;
  upstream: AsyncIterator<ExecutionResult> | null;
  subscribers: Set<AsyncQueue<ExecutionResult>>;
  /** Current state for late joiners: the latest payload per entity (see subscription-replay.ts). */
  latest: Map<string, ExecutionResult>;
  replay: ReplayPlan | null;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return !!value && typeof (value as any)[Symbol.asyncIterator] === 'function';
}

/**
 * Subscribers with the same document, variables and scope share one upstream subscription
 * and one resolved payload per gateway process. Hive Gateway opens one upstream subscription
 * (and one entity fetch per event) per client subscription; this sits in front of it.
 * It shares, it does not authorise: every subscriber has passed the whole plugin chain
 * (subscription-rules.ts) before it reaches `subscribe`, and the key holds its full scope.
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

  /**
   * Joins (or opens) the hub for `key`; `start` opens the upstream subscription with `replay`'s
   * document. `onLeave` runs once: when this subscriber's stream ends, or at once if it gets none.
   */
  async subscribe(key: string, replay: ReplayPlan | null, start: () => Promise<Result> | Result, onLeave: () => void = () => undefined): Promise<Result> {
    let hub = this.hubs.get(key);
    if (!hub) {
      hub = { ready: Promise.resolve().then(start), upstream: null, subscribers: new Set(), latest: new Map(), replay };
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
    const result = await hub.ready.catch((err) => {
      onLeave();
      throw err;
    });
    if (!isAsyncIterable(result)) {
      onLeave();
      return result;
    }
    const queue: AsyncQueue<ExecutionResult> = new AsyncQueue(() => {
      this.leave(key, hub!, queue);
      onLeave();
    });
    hub.subscribers.add(queue);
    for (const value of hub.latest.values()) queue.push(value);
    if (this.hubs.get(key) !== hub) queue.end(); // the upstream ended while this one was joining
    return queue;
  }

  private async pump(key: string, hub: Hub) {
    try {
      while (hub.upstream) {
        const { value, done } = await hub.upstream.next();
        if (done) break;
        const { key: replayKey, result } = hub.replay ? hub.replay.identify(value) : { key: null, result: value };
        if (replayKey) hub.latest.set(replayKey, result);
        for (const subscriber of hub.subscribers) subscriber.push(result);
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
