import { AsyncQueue } from '../services/kernel/src/async-queue';

/** The kernel's push-driven iterator (subscriptions are built on it): order, end, errors, release. */
describe('AsyncQueue', () => {
  it('hands values to the consumer in the order pushed, buffered or awaited', async () => {
    const q = new AsyncQueue<number>();
    q.push(1);
    q.push(2);
    const waiting = (async () => {
      const seen: number[] = [];
      for await (const v of q) {
        seen.push(v);
        if (seen.length === 4) break;
      }
      return seen;
    })();
    q.push(3);
    await Promise.resolve();
    q.push(4);
    expect(await waiting).toEqual([1, 2, 3, 4]);
  });

  it('a consumer waiting on next() is woken by the next push', async () => {
    const q = new AsyncQueue<string>();
    const next = q.next();
    q.push('a');
    expect(await next).toEqual({ value: 'a', done: false });
  });

  it('a keyed push replaces the value still queued under its key, in the place of the latest', async () => {
    const q = new AsyncQueue<string>();
    q.push('stat 1 = 10', 'stat:1');
    q.push('feed entry', null);
    q.push('stat 2 = 5', 'stat:2');
    q.push('stat 1 = 11', 'stat:1');
    q.push('another feed entry', null);
    const taken = [await q.next(), await q.next(), await q.next(), await q.next()].map((r) => r.value);
    expect(taken).toEqual(['feed entry', 'stat 2 = 5', 'stat 1 = 11', 'another feed entry']);
    // once taken, a value is the consumer's: the next one under its key is queued anew
    q.push('stat 1 = 12', 'stat:1');
    expect(await q.next()).toEqual({ value: 'stat 1 = 12', done: false });
  });

  it('a keyed push goes straight to a waiting consumer; `waiting` tells when one waits', async () => {
    const q = new AsyncQueue<number>();
    expect(q.waiting).toBe(false);
    const next = q.next();
    expect(q.waiting).toBe(true);
    q.push(1, 'k');
    expect(q.waiting).toBe(false);
    expect(await next).toEqual({ value: 1, done: false });
    q.push(2, 'k');
    expect(q.waiting).toBe(false); // a value is queued: nobody waits
  });

  it('end() delivers what was pushed before it, then done; later pushes are dropped', async () => {
    const q = new AsyncQueue<number>();
    q.push(1);
    q.end();
    q.push(2);
    expect(await q.next()).toEqual({ value: 1, done: false });
    expect(await q.next()).toEqual({ value: undefined, done: true });
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it('end() wakes a waiting consumer with done', async () => {
    const q = new AsyncQueue<number>();
    const next = q.next();
    q.end();
    expect(await next).toEqual({ value: undefined, done: true });
  });

  it('end(error) rejects once, after the buffered values, then reports done', async () => {
    const q = new AsyncQueue<number>();
    q.push(7);
    q.end(new Error('upstream failed'));
    expect(await q.next()).toEqual({ value: 7, done: false });
    await expect(q.next()).rejects.toThrow('upstream failed');
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it('runs onReturn exactly once, whether the consumer breaks or the producer ends', async () => {
    const released = jest.fn();
    const q = new AsyncQueue<number>(released);
    q.push(1);
    for await (const v of q) {
      expect(v).toBe(1);
      break;
    }
    q.end();
    await q.return();
    expect(released).toHaveBeenCalledTimes(1);

    const ended = jest.fn();
    const p = new AsyncQueue<number>(ended);
    p.end();
    p.end(new Error('twice'));
    await p.return();
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it('return() drops what was buffered', async () => {
    const q = new AsyncQueue<number>();
    q.push(1);
    q.push(2);
    expect(await q.return()).toEqual({ value: undefined, done: true });
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it('throw() ends the queue (onReturn runs) and rejects with the error given', async () => {
    const released = jest.fn();
    const q = new AsyncQueue<number>(released);
    await expect(q.throw(new Error('consumer failed'))).rejects.toThrow('consumer failed');
    expect(released).toHaveBeenCalledTimes(1);
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });
});
