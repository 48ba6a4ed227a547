import { AsyncQueue } from '@cascade/kernel';
import { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import { ReplayPlan } from './subscription-replay';

type Result = AsyncIterable<ExecutionResult> | ExecutionResult;

/** Where a graphql-ws subscriber's frames go: its socket and its subscription id. */
export interface FrameSink {
  socket: Pick<WebSocket, 'send' | 'close' | 'readyState' | 'bufferedAmount'>;
  id: string;
}

/**
 * Bytes a socket may hold unsent before its client counts as gone: a client that stops reading
 * would otherwise keep every frame of every event in the gateway's memory. Closed with 1013
 * (try again later); a screen reconnects and starts from the current state.
 */
export const MAX_SOCKET_BACKLOG = 1024 * 1024;

const OPEN = 1; // WebSocket.OPEN
const TEXT = { binary: false };

/**
 * One upstream event, serialised once for every subscriber of its hub. A graphql-ws `next`
 * frame differs per subscriber only in its id, so the frame is the id's prefix and one shared
 * tail (built once), and subscribers with the same id share the whole frame (the screens
 * number their subscriptions 0, 1, …: every screen of an activity gets the same bytes).
 */
export class SharedEvent {
  private tail: Buffer | null = null;
  private readonly frames = new Map<string, Buffer>();

  constructor(
    readonly result: ExecutionResult,
    /** The entity it is the state of (replay key), or null: an event of its own (a feed post). */
    readonly key: string | null,
  ) {}

  /**
   * Whether it goes straight to sockets: a result with errors takes the runtime's path
   * (graphql-ws and the plugin chain, which masks what a client must not read).
   */
  get direct(): boolean {
    return !this.result.errors?.length;
  }

  /** The frame graphql-ws would send for it: {"id":…,"type":"next","payload":…}; `head` is `{"id":…`. */
  frame(id: string, head: Buffer): Buffer {
    let frame = this.frames.get(id);
    if (!frame) {
      this.tail ??= Buffer.from(`,"type":"next","payload":${JSON.stringify(this.result)}}`);
      frame = Buffer.concat([head, this.tail]);
      this.frames.set(id, frame);
    }
    return frame;
  }
}

/**
 * One subscriber: the async iterator graphql-ws reads (an AsyncQueue), and its socket. While
 * graphql-ws waits on the queue, events are written straight to the socket as they come,
 * serialised once per hub, not awaited; graphql-ws only sees the end. Events it has not taken
 * yet wait in the queue, the latest per entity only (a subscriber that falls behind skips to
 * the current state, never to an older one): the first events (current state) when it joins,
 * and an event with errors, which graphql-ws sends through the plugin chain; graphql-ws asks
 * for the next one only once it has sent the previous, so the frames written after that follow
 * everything it sent. A subscriber without a socket (no sink) always takes the queue.
 */
class Subscriber {
  readonly queue: AsyncQueue<ExecutionResult>;
  /** The start of this subscriber's frames: {"id":"…" */
  private readonly head: Buffer | null;
  /** Frames written to the socket here. */
  written = 0;

  constructor(
    private readonly sink: FrameSink | null,
    onReturn: () => void,
  ) {
    this.queue = new AsyncQueue(onReturn);
    this.head = sink ? Buffer.from(`{"id":${JSON.stringify(sink.id)}`) : null;
  }

  /** Whether events go straight to the socket now (graphql-ws waits on the queue). */
  get streaming(): boolean {
    return this.sink !== null && this.queue.waiting;
  }

  deliver(event: SharedEvent): void {
    if (event.direct && this.streaming) this.write(event);
    else this.queue.push(event.result, event.key);
  }

  private write(event: SharedEvent) {
    const socket = this.sink!.socket;
    if (socket.readyState !== OPEN) return; // closing: graphql-ws ends the stream
    if (socket.bufferedAmount > MAX_SOCKET_BACKLOG) {
      socket.close(1013, 'Try again later: the client does not read its events');
      return;
    }
    socket.send(event.frame(this.sink!.id, this.head!), TEXT);
    this.written++;
  }
}

interface Hub {
  ready: Promise<Result>;
  upstream: AsyncIterator<ExecutionResult> | null;
  subscribers: Set<Subscriber>;
  /** Current state for late joiners: the latest event per entity (see subscription-replay.ts). */
  latest: Map<string, SharedEvent>;
  replay: ReplayPlan | null;
  /** Upstream events read but not yet sent, the latest per entity, in arrival order. */
  pending: Map<string | number, { key: string | null; result: ExecutionResult }>;
  flushing: boolean;
  sequence: number;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return !!value && typeof (value as any)[Symbol.asyncIterator] === 'function';
}

/**
 * Subscribers with the same document, variables and scope share one upstream subscription
 * and one resolved, serialised payload per event per gateway process. Hive Gateway opens one
 * upstream subscription (and one entity fetch per event) per client subscription, and
 * graphql-ws serialises and awaits each socket's write; this sits in front of both.
 * It shares, it does not authorise: every subscriber has passed the whole plugin chain
 * (subscription-rules.ts) before it reaches `subscribe`, and the key holds its full scope.
 *
 * Events are read from upstream as fast as they come and sent once per turn of the event loop
 * (setImmediate): when sending falls behind, the events read meanwhile collapse to the latest
 * per entity, so a slow turn costs one frame per entity, not one per event, and no subscriber
 * is sent a value older than one it was sent. Events of their own (no entity) are all sent.
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

  /** Subscribers whose events are written straight to their socket now (for tests and metrics). */
  get streamingCount(): number {
    let count = 0;
    for (const hub of this.hubs.values()) for (const subscriber of hub.subscribers) if (subscriber.streaming) count++;
    return count;
  }

  /** Frames written straight to sockets since this multiplexer started (for tests and metrics). */
  get framesWritten(): number {
    let count = this.framesOfLeavers;
    for (const hub of this.hubs.values()) for (const subscriber of hub.subscribers) count += subscriber.written;
    return count;
  }

  private framesOfLeavers = 0;

  /**
   * Joins (or opens) the hub for `key`; `start` opens the upstream subscription with `replay`'s
   * document. `onLeave` runs once: when this subscriber's stream ends, or at once if it gets none.
   * With a `sink`, events are written to its socket while graphql-ws waits on the stream.
   */
  async subscribe(
    key: string,
    replay: ReplayPlan | null,
    start: () => Promise<Result> | Result,
    onLeave: () => void = () => undefined,
    sink: FrameSink | null = null,
  ): Promise<Result> {
    let hub = this.hubs.get(key);
    if (!hub) {
      hub = { ready: Promise.resolve().then(start), upstream: null, subscribers: new Set(), latest: new Map(), replay, pending: new Map(), flushing: false, sequence: 0 };
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
    const joined = hub;
    const subscriber: Subscriber = new Subscriber(sink, () => {
      this.leave(key, joined, subscriber);
      onLeave();
    });
    hub.subscribers.add(subscriber);
    for (const event of hub.latest.values()) subscriber.deliver(event);
    if (this.hubs.get(key) !== hub) subscriber.queue.end(); // the upstream ended while this one was joining
    return subscriber.queue;
  }

  private async pump(key: string, hub: Hub) {
    try {
      while (hub.upstream) {
        const { value, done } = await hub.upstream.next();
        if (done) break;
        const { key: replayKey, result } = hub.replay ? hub.replay.identify(value) : { key: null, result: value };
        // the latest per entity; moved to the end, so events go out in the order of their latest
        const slot = replayKey ?? hub.sequence++;
        hub.pending.delete(slot);
        hub.pending.set(slot, { key: replayKey, result });
        if (!hub.flushing) {
          hub.flushing = true;
          setImmediate(() => this.flush(hub));
        }
      }
      this.flush(hub);
      for (const subscriber of [...hub.subscribers]) subscriber.queue.end();
    } catch (err) {
      this.flush(hub);
      for (const subscriber of [...hub.subscribers]) subscriber.queue.end(err);
    } finally {
      if (this.hubs.get(key) === hub) this.hubs.delete(key);
      hub.upstream = null;
    }
  }

  /** Sends the events read since the last turn: each serialised once, to every subscriber. */
  private flush(hub: Hub) {
    hub.flushing = false;
    if (!hub.pending.size) return;
    const batch = [...hub.pending.values()];
    hub.pending.clear();
    for (const { key, result } of batch) {
      const event = new SharedEvent(result, key);
      if (key !== null) hub.latest.set(key, event);
      for (const subscriber of hub.subscribers) subscriber.deliver(event);
    }
  }

  private leave(key: string, hub: Hub, subscriber: Subscriber) {
    if (hub.subscribers.delete(subscriber)) this.framesOfLeavers += subscriber.written;
    if (hub.subscribers.size > 0) return;
    if (this.hubs.get(key) === hub) this.hubs.delete(key);
    const upstream = hub.upstream;
    hub.upstream = null;
    hub.pending.clear();
    void upstream?.return?.();
  }
}
