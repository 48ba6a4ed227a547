/**
 * Runs at most `limit` tasks at once; the others wait their turn, first come first served.
 * `running` and `peak` (the most ever running together) are there to be observed by tests
 * and benchmarks; a benchmark may raise `limit` to measure the code without the bound.
 */
export class Limiter {
  running = 0;
  peak = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(public limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await task();
    } finally {
      // the slot goes straight to the next in line (running stays the same), or is freed
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
