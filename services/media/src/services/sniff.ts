import path from 'node:path';
import { Worker } from 'node:worker_threads';

export type Sniffed = { ext: string; mime: string } | null;
export type SniffResult = { ok: true; type: Sniffed } | { ok: false; reason: 'timeout' | 'failed' };

interface Pending {
  id: number;
  bytes: Uint8Array;
  resolve(result: SniffResult): void;
}

/** What a sniff worker posts: `{ ready: true }` once loaded, then one answer per request. */
type WorkerMessage = { ready: true } | { id: number; type: Sniffed };

/** A fresh worker loads file-type first: tens of milliseconds, seconds on a machine under load. */
const STARTUP_LIMIT_MS = 15_000;

/**
 * The content type of an upload's first bytes, decided with a byte budget (at most
 * `maxBytes` are looked at) and a time budget: each sniff gets `timeoutMs`, after which the
 * worker is terminated (the only way to stop a parser spinning in a loop) and a fresh one
 * takes the next request. Sniffs run one at a time, in order; each takes well under a
 * millisecond on honest input. The budget starts once the worker has loaded, so a fresh
 * worker on a busy machine does not eat into it (its start has a bound of its own).
 */
export class Sniffer {
  private worker: { thread: Worker; ready: boolean } | null = null;
  private readonly queue: Pending[] = [];
  private current: { pending: Pending; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;

  constructor(private readonly options: { timeoutMs: number; maxBytes: number; workerFile?: string }) {}

  sniff(bytes: Uint8Array): Promise<SniffResult> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, bytes: bytes.subarray(0, this.options.maxBytes), resolve });
      this.pump();
    });
  }

  /** Stops the worker (service shutdown); sniffs still waiting answer 'failed'. */
  async close(): Promise<void> {
    for (const pending of this.queue.splice(0)) pending.resolve({ ok: false, reason: 'failed' });
    this.settle({ ok: false, reason: 'failed' });
    const worker = this.worker;
    this.worker = null;
    await worker?.thread.terminate();
  }

  private pump() {
    if (this.current || this.queue.length === 0) return;
    const pending = this.queue.shift()!;
    const worker = this.ensureWorker();
    this.current = { pending, timer: this.budget(worker.ready ? this.options.timeoutMs : STARTUP_LIMIT_MS) };
    if (worker.ready) worker.thread.postMessage({ id: pending.id, bytes: pending.bytes });
  }

  /** After `ms`, the request in hand answers 'timeout' and its worker is replaced. */
  private budget(ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      this.settle({ ok: false, reason: 'timeout' });
      this.restart();
    }, ms);
  }

  private settle(result: SniffResult) {
    if (!this.current) return;
    clearTimeout(this.current.timer);
    const { pending } = this.current;
    this.current = null;
    pending.resolve(result);
  }

  private ensureWorker() {
    if (this.worker) return this.worker;
    const thread = new Worker(this.options.workerFile ?? path.join(__dirname, 'sniff-worker.js'), {
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    const worker = { thread, ready: false };
    thread.on('message', (message: WorkerMessage) => {
      if (this.worker !== worker) return;
      if ('ready' in message) {
        worker.ready = true;
        // the request waiting for this worker now gets its own time budget
        if (this.current) {
          clearTimeout(this.current.timer);
          this.current.timer = this.budget(this.options.timeoutMs);
          thread.postMessage({ id: this.current.pending.id, bytes: this.current.pending.bytes });
        }
        return;
      }
      if (this.current?.pending.id !== message.id) return;
      this.settle({ ok: true, type: message.type });
      this.pump();
    });
    const lost = () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.settle({ ok: false, reason: 'failed' });
      this.pump();
    };
    thread.on('error', lost);
    thread.on('exit', lost);
    thread.unref(); // after the listeners: adding a 'message' listener refs the worker again
    this.worker = worker;
    return worker;
  }

  private restart() {
    const worker = this.worker;
    this.worker = null;
    void worker?.thread.terminate();
    this.pump();
  }
}
