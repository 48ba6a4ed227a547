/**
 * A push-driven async iterator: producers push values, one consumer pulls them with
 * for-await. `onReturn` runs once when the consumer stops (break, return, error) or the
 * producer ends it, so subscriptions release their source promptly.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;
  private failure: unknown = null;

  constructor(private readonly onReturn: () => void = () => undefined) {}

  push(value: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else {
      this.values.push(value);
    }
  }

  /** Ends the iteration (after the values already pushed), with an error if given. */
  end(error?: unknown): void {
    if (this.done) return;
    this.failure = error ?? null;
    this.finish();
  }

  private finish() {
    this.done = true;
    this.onReturn();
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.values.length) return Promise.resolve({ value: this.values.shift() as T, done: false });
    if (this.done) {
      if (this.failure) {
        const err = this.failure;
        this.failure = null;
        return Promise.reject(err);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.values.length = 0;
    if (!this.done) this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
