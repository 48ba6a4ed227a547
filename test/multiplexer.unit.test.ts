import { AsyncQueue } from '@cascade/kernel';
import { ExecutionResult, parse } from 'graphql';
import { FrameSink, MAX_SOCKET_BACKLOG, SubscriptionMultiplexer } from '../gateway/src/multiplexer';
import { replayPlan } from '../gateway/src/subscription-replay';

/**
 * The gateway's SubscriptionMultiplexer on its own: who shares an upstream and when it is
 * released, what an error does, events without an entity, one serialisation per frame. The
 * fan-out itself (late joiners, the latest per entity under any schedule, exact graphql-ws
 * frames over real sockets, 1013) is test/multiplexer.test.ts's; subscriptions.e2e runs it
 * through the platform. The upstream is an AsyncQueue the test pushes into; sockets record
 * what they are sent.
 */
type Sub = AsyncIterableIterator<ExecutionResult>;
const STAT = parse('subscription { statisticChanged(activityId: "1") { value } }');
const stat = (id: string, value: number): ExecutionResult => ({ data: { statisticChanged: { value, _cascadeReplayId: id } } });
const post = (text: string): ExecutionResult => ({ data: { feedEntryAdded: { text } } });
const valuesOf = (results: IteratorResult<ExecutionResult>[]) => results.map((r) => (r.value?.data as any)?.statisticChanged?.value ?? (r.value?.data as any)?.feedEntryAdded?.text);

function upstream() {
  const released = jest.fn();
  const queue = new AsyncQueue<ExecutionResult>(released);
  const start = jest.fn(() => queue);
  return { queue, start, released };
}

async function take(sub: Sub, n: number): Promise<IteratorResult<ExecutionResult>[]> {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await sub.next());
  return out;
}

function socket(bufferedAmount = 0, readyState: 0 | 1 | 2 | 3 = 1) {
  const sent: Buffer[] = [];
  const closed: [number, string][] = [];
  const sink: FrameSink['socket'] = {
    readyState,
    bufferedAmount,
    send: ((data: Buffer) => sent.push(data)) as FrameSink['socket']['send'],
    close: (code?: number, reason?: string) => void closed.push([code ?? 0, reason ?? '']),
  };
  return { sink, sent, closed };
}

describe('sharing', () => {
  it('subscribers with one key share one upstream; each gets every event', async () => {
    const mux = new SubscriptionMultiplexer();
    const up = upstream();
    const [a, b] = (await Promise.all([mux.subscribe('k', null, up.start), mux.subscribe('k', null, up.start)])) as Sub[];
    expect(up.start).toHaveBeenCalledTimes(1);
    expect(mux.upstreamCount).toBe(1);
    expect(mux.subscriberCount).toBe(2);
    up.queue.push(post('一'));
    up.queue.push(post('二'));
    expect(valuesOf(await take(a, 2))).toEqual(['一', '二']);
    expect(valuesOf(await take(b, 2))).toEqual(['一', '二']);
  });

  it('another key opens another upstream', async () => {
    const mux = new SubscriptionMultiplexer();
    const one = upstream();
    const two = upstream();
    await mux.subscribe('one', null, one.start);
    await mux.subscribe('two', null, two.start);
    expect(mux.upstreamCount).toBe(2);
  });

  it('releases the upstream when the last subscriber leaves, and calls each onLeave once', async () => {
    const mux = new SubscriptionMultiplexer();
    const up = upstream();
    const leftA = jest.fn();
    const leftB = jest.fn();
    const a = (await mux.subscribe('k', null, up.start, leftA)) as Sub;
    const b = (await mux.subscribe('k', null, up.start, leftB)) as Sub;
    await a.return!();
    await a.return!();
    expect(leftA).toHaveBeenCalledTimes(1);
    expect(up.released).not.toHaveBeenCalled();
    await b.return!();
    expect(leftB).toHaveBeenCalledTimes(1);
    expect(up.released).toHaveBeenCalledTimes(1);
    expect(mux.upstreamCount).toBe(0);
    // the next subscriber opens a new upstream
    const again = upstream();
    await mux.subscribe('k', null, again.start);
    expect(again.start).toHaveBeenCalledTimes(1);
  });

  it('an error result from start is answered to that subscriber alone, never shared', async () => {
    const mux = new SubscriptionMultiplexer();
    const refused: ExecutionResult = { errors: [{ message: 'not allowed' } as never] };
    const left = jest.fn();
    expect(await mux.subscribe('k', null, () => refused, left)).toBe(refused);
    expect(left).toHaveBeenCalledTimes(1);
    const up = upstream();
    await mux.subscribe('k', null, up.start);
    expect(up.start).toHaveBeenCalledTimes(1);
  });

  it('an upstream that fails ends every subscriber with its error; the key starts afresh', async () => {
    const mux = new SubscriptionMultiplexer();
    const up = upstream();
    const a = (await mux.subscribe('k', null, up.start)) as Sub;
    up.queue.push(post('before'));
    up.queue.end(new Error('subgraph went away'));
    expect(valuesOf([await a.next()])).toEqual(['before']);
    await expect(a.next()).rejects.toThrow('subgraph went away');
    expect(mux.upstreamCount).toBe(0);
    const again = upstream();
    await mux.subscribe('k', null, again.start);
    expect(again.start).toHaveBeenCalledTimes(1);
  });
});

describe('the latest per entity', () => {
  it('events of their own (no entity) all go, between entities collapsed to their latest', async () => {
    const mux = new SubscriptionMultiplexer();
    const up = upstream();
    const sub = (await mux.subscribe('k', replayPlan(STAT, null), up.start)) as Sub;
    // pushed before the multiplexer's next turn: all read before one flush
    up.queue.push(stat('1', 1));
    up.queue.push(post('a'));
    up.queue.push(stat('2', 20));
    up.queue.push(stat('1', 2));
    up.queue.push(post('b'));
    up.queue.push(stat('1', 3));
    up.queue.push(post('control')); // the positive control: everything before it has been sent
    const got: unknown[] = [];
    for (;;) {
      const [value] = valuesOf([await sub.next()]);
      got.push(value);
      if (value === 'control') break;
    }
    expect(got).toEqual(['a', 20, 'b', 3, 'control']);
  });
});

describe('frames straight to sockets', () => {
  it('while graphql-ws waits, each event is one frame per id, the same bytes for the same id', async () => {
    const mux = new SubscriptionMultiplexer();
    const up = upstream();
    const one = socket();
    const two = socket();
    const a = (await mux.subscribe('k', null, up.start, undefined, { socket: one.sink, id: '0' })) as Sub;
    const b = (await mux.subscribe('k', null, up.start, undefined, { socket: two.sink, id: '0' })) as Sub;
    void a.next(); // graphql-ws waits on each
    void b.next();
    expect(mux.streamingCount).toBe(2);
    up.queue.push(post('签名墙'));
    up.queue.push(post('control'));
    // positive control: both frames reach both sockets
    while (one.sent.length < 2 || two.sent.length < 2) await new Promise((r) => setImmediate(r));
    expect(JSON.parse(one.sent[0].toString())).toEqual({ id: '0', type: 'next', payload: post('签名墙') });
    expect(one.sent[0]).toBe(two.sent[0]); // serialised once
    expect(mux.framesWritten).toBe(4);
  });

  it('a socket already closing gets nothing, one that stops reading nothing more (closed 1013)', async () => {
    const mux = new SubscriptionMultiplexer();
    const up = upstream();
    const slow = socket(MAX_SOCKET_BACKLOG + 1);
    const closing = socket(0, 2); // CLOSING
    const reader = socket();
    for (const [s, id] of [[slow, 'slow'], [closing, 'closing'], [reader, 'reader']] as const) {
      const sub = (await mux.subscribe('k', null, up.start, undefined, { socket: s.sink, id })) as Sub;
      void sub.next(); // graphql-ws waits
    }
    up.queue.push(post('x'));
    while (!reader.sent.length) await new Promise((r) => setImmediate(r)); // positive control
    expect(slow.closed).toEqual([[1013, 'Try again later: the client does not read its events']]);
    expect(slow.sent).toEqual([]);
    expect(closing.sent).toEqual([]);
  });
});
