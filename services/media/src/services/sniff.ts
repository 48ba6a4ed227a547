import path from 'node:path';
import { Worker } from 'node:worker_threads';

export type Sniffed = { ext: string; mime: string } | null;
export type SniffResult = { ok: true; type: Sniffed } | { ok: false; reason: 'timeout' | 'failed' };

interface Pending {
  id: number;
  bytes: Uint8Array;
  resolve(result: SniffResult): void;
}

/**
 * The content type of an upload's first bytes, decided with a byte budget (at most
 * `maxBytes` are looked at) and a time budget: each sniff gets `timeoutMs`, after which the
 * worker is terminated (the only way to stop a parser spinning in a loop) and a fresh one
 * takes the next request. Sniffs run one at a time, in order; each takes well under a
 * millisecond on honest input.
 */
export class Sniffer {
  private worker: Worker | null = null;
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
    await worker?.terminate();
  }

  private pump() {
    if (this.current || this.queue.length === 0) return;
    const pending = this.queue.shift()!;
    const timer = setTimeout(() => {
      this.settle({ ok: false, reason: 'timeout' });
      this.restart();
    }, this.options.timeoutMs);
    this.current = { pending, timer };
    this.ensureWorker().postMessage({ id: pending.id, bytes: pending.bytes });
  }

  private settle(result: SniffResult) {
    if (!this.current) return;
    clearTimeout(this.current.timer);
    const { pending } = this.current;
    this.current = null;
    pending.resolve(result);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.workerFile ?? path.join(__dirname, 'sniff-worker.js'), {
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    worker.on('message', (message: { id: number; type: Sniffed }) => {
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
    worker.on('error', lost);
    worker.on('exit', lost);
    worker.unref(); // after the listeners: adding a 'message' listener refs the worker again
    this.worker = worker;
    return worker;
  }

  private restart() {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    this.pump();
  }
}
