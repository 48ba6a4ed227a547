import { FrameSink, replayPlan, SubscriptionMultiplexer } from '@cascade/gateway';
import { AsyncQueue, useServer } from '@cascade/kernel';
import fc from 'fast-check';
import { ExecutionResult, GraphQLError, parse } from 'graphql';
import { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

/**
 * The multiplexer's fan-out: one upstream per hub, events collapsed to the latest per entity
 * when sending falls behind (never an older value after a newer one, always the final one),
 * and, over graphql-ws, frames written straight to each subscriber's socket in the order
 * graphql-ws would have sent them. Upstreams here are queues the test pushes to; sockets are
 * real (ws and graphql-ws on a local port).
 */
const DOCUMENT = parse('subscription($a: ID!) { statisticChanged(activityId: $a) { value } }');
const plan = () => replayPlan(DOCUMENT, undefined)!;
/** An upstream event as the runtime yields it for the plan's document: the value and the entity id under the gateway's alias. */
const event = (entity: string, value: number): ExecutionResult => ({ data: { statisticChanged: { value, _cascadeReplayId: entity } } });
const valueOf = (result: ExecutionResult) => (result.data as { statisticChanged: { value: number } }).statisticChanged.value;
const turn = () => new Promise((resolve) => setImmediate(resolve));

function hub() {
  const upstream = new AsyncQueue<ExecutionResult>();
  const multiplexer = new SubscriptionMultiplexer();
  let starts = 0;
  const join = (sink: FrameSink | null = null) =>
    multiplexer.subscribe('key', plan(), () => (starts++, upstream), () => undefined, sink) as Promise<AsyncIterableIterator<ExecutionResult>>;
  return { upstream, multiplexer, join, starts: () => starts };
}

describe('conflation', () => {
  it('a subscriber that falls behind gets the latest value per entity, not every one', async () => {
    const { upstream, join } = hub();
    const stream = await join();
    for (let v = 1; v <= 100; v++) {
      upstream.push(event('A', v));
      upstream.push(event('B', 1000 + v));
    }
    const first = await stream.next();
    const second = await stream.next();
    expect([first.value, second.value].map(valueOf).sort((a, b) => a - b)).toEqual([100, 1100]);
    await stream.return!();
  });

  it('a late joiner starts from the latest state of each entity', async () => {
    const { upstream, join, starts } = hub();
    const early = await join();
    upstream.push(event('A', 1));
    upstream.push(event('A', 2));
    upstream.push(event('B', 7));
    expect(valueOf((await early.next()).value)).toBe(2);
    const late = await join();
    const replayed = [valueOf((await late.next()).value), valueOf((await late.next()).value)].sort((a, b) => a - b);
    expect(replayed).toEqual([2, 7]);
    expect(starts()).toBe(1);
    await early.return!();
    await late.return!();
  });

  it('never sends a value older than one sent, and ends on the final value (any schedule)', async () => {
    // a schedule of: the next value of an entity arrives upstream, the event loop turns, or the
    // subscriber asks for its next event (a slow reader: at most one read outstanding)
    const step = fc.oneof(fc.constantFrom('A', 'B', 'C'), fc.constant('turn'), fc.constant('read'));
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
        const { upstream, join } = hub();
        const stream = await join();
        const last: Record<string, number> = {}; // entity → the last value pushed
        const got: Record<string, number[]> = {}; // entity → the values read, in order
        let counter = 0;
        let outstanding: Promise<void> | null = null;
        const read = () => {
          outstanding ??= stream.next().then(({ value, done }) => {
            if (done) return; // the stream returned at the end of this run
            const v = valueOf(value);
            (got[entityOf(v)] ??= []).push(v);
            outstanding = null;
          });
        };
        for (const s of steps) {
          if (s === 'turn') await turn();
          else if (s === 'read') read();
          else {
            last[s] = valueFor(s, ++counter);
            upstream.push(event(s, last[s]));
          }
        }
        const onFinal = () => Object.entries(last).every(([entity, v]) => got[entity]?.at(-1) === v);
        for (let i = 0; !onFinal(); i++) {
          if (i > 1000) throw new Error(`never reached the final values: ${JSON.stringify({ last, got })}`);
          read();
          await turn();
        }
        for (const values of Object.values(got)) for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
        await stream.return!();
      }),
      { numRuns: 300 },
    );
  });
});

/** Values of entity A are 1nnnn, of B 2nnnn, of C 3nnnn, rising with the counter. */
const valueFor = (entity: string, counter: number) => Number(`${'ABC'.indexOf(entity) + 1}${String(counter).padStart(4, '0')}`);
const entityOf = (value: number) => 'ABC'[Number(String(value)[0]) - 1];

describe('frames written to the socket', () => {
  let wss: WebSocketServer;
  let url: string;
  let current: ReturnType<typeof hub>;
  const clients: WebSocket[] = [];

  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    // graphql-ws as the gateway runs it: each subscription joins the current hub with its socket and id
    useServer(
      {
        onSubscribe: (ctx, id) => ({ schema: undefined as any, document: DOCUMENT, contextValue: { sink: { socket: (ctx.extra as { socket: WebSocket }).socket, id } } }),
        subscribe: (args) => current.join((args.contextValue as { sink: FrameSink }).sink) as any,
      },
      wss,
    );
  });
  afterAll(async () => {
    for (const c of clients) c.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });

  /** A raw graphql-ws client: every frame's text, in order. */
  async function subscriber(id: string) {
    const ws = new WebSocket(url, 'graphql-transport-ws');
    clients.push(ws);
    const frames: string[] = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.on('open', resolve));
    ws.on('message', (data) => {
      const text = String(data);
      if (text.includes('connection_ack')) ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { x }' } }));
      else frames.push(text);
    });
    ws.send(JSON.stringify({ type: 'connection_init' }));
    const until = async (predicate: (frames: string[]) => boolean) => {
      while (!predicate(frames)) await new Promise((r) => setTimeout(r, 5));
      return frames;
    };
    return { ws, frames, until, closed };
  }

  it('sends each event as the exact frame graphql-ws sends, in order, errors through graphql-ws', async () => {
    current = hub();
    current.upstream.push(event('A', 1));
    const one = await subscriber('1');
    const other = await subscriber('sub-7');
    // the first event comes through graphql-ws; once it waits for more, the multiplexer writes
    await waitFor(() => current.multiplexer.streamingCount === 2);
    const written = current.multiplexer.framesWritten;
    current.upstream.push(event('A', 2));
    await waitFor(() => current.multiplexer.framesWritten === written + 2);
    // an event with errors goes through graphql-ws (and the plugin chain); what comes after it
    // waits for it, then the multiplexer writes again
    current.upstream.push({ data: { statisticChanged: null }, errors: [new GraphQLError('Statistic not found', { extensions: { code: 'NOT_FOUND' } })] });
    current.upstream.push(event('B', 3));
    for (const client of [one, other]) await client.until((f) => f.some((x) => x.includes('"value":3')));
    await waitFor(() => current.multiplexer.streamingCount === 2);
    expect(current.multiplexer.framesWritten).toBe(written + 2);
    current.upstream.push(event('A', 4));
    for (const [client, id] of [[one, '1'], [other, 'sub-7']] as const) {
      const frames = await client.until((f) => f.some((x) => x.includes('"value":4')));
      const expected = (payload: unknown) => JSON.stringify({ id, type: 'next', payload });
      expect(frames).toEqual([
        expected({ data: { statisticChanged: { value: 1 } } }),
        expected({ data: { statisticChanged: { value: 2 } } }),
        expected({ data: { statisticChanged: null }, errors: [{ message: 'Statistic not found', extensions: { code: 'NOT_FOUND' } }] }),
        expected({ data: { statisticChanged: { value: 3 } } }),
        expected({ data: { statisticChanged: { value: 4 } } }),
      ]);
    }
    expect(current.multiplexer.framesWritten).toBe(written + 4); // 2 and 4, to each socket
    one.ws.close();
    other.ws.close();
    await one.closed;
    await other.closed;
    await waitFor(() => current.multiplexer.upstreamCount === 0);
  });

  it('many events while the loop is busy reach a socket as the latest value only', async () => {
    current = hub();
    current.upstream.push(event('A', 1));
    const s = await subscriber('1');
    await waitFor(() => current.multiplexer.streamingCount === 1);
    for (let v = 2; v <= 500; v++) current.upstream.push(event('A', v));
    const frames = await s.until((f) => f.some((x) => x.includes('"value":500')));
    const values = frames.map((f) => Number(/"value":(\d+)/.exec(f)![1]));
    expect(values).toEqual([1, 500]);
    s.ws.close();
    await s.closed;
  });

  it('closes a socket whose client stops reading (1013) instead of keeping its frames', async () => {
    current = hub();
    current.upstream.push(event('A', 0));
    const s = await subscriber('1');
    await waitFor(() => current.multiplexer.streamingCount === 1);
    const clientSocket = (s.ws as unknown as { _socket: import('node:net').Socket })._socket;
    clientSocket.pause();
    const serverSide = () => [...wss.clients].find((c) => c.readyState !== WebSocket.OPEN);
    // each event goes to the socket at once; the kernel's buffers fill, then the gateway's
    const big = 'x'.repeat(256 * 1024);
    for (let v = 1; !serverSide(); v++) {
      if (v > 400) throw new Error('the socket was never closed');
      current.upstream.push({ data: { statisticChanged: { value: v, big, _cascadeReplayId: 'A' } } });
      await turn();
    }
    clientSocket.resume();
    expect(await s.closed).toBe(1013);
  });
});

async function waitFor(predicate: () => boolean, ms = 5000) {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
