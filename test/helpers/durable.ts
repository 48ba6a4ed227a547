import { eventLag } from '@cascade/kernel';

/**
 * Resolves once every durable event written so far in this process has left its outbox and
 * been applied and acknowledged by every consumer group (eventLag: nothing unsent, pending or
 * undelivered). The positive control before asserting that something was not counted, or not
 * counted twice: after it, no event in flight can still change the figures.
 */
export async function durableEventsSettled(boundMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const lag = await eventLag();
    if (lag.outboxes.every((o) => o.unsent === 0) && lag.streams.every((s) => s.pending === 0 && !s.undelivered)) return;
    if (Date.now() - started > boundMs) throw new Error(`durable events still held after ${boundMs} ms: ${JSON.stringify(lag)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
