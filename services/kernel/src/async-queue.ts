/**
 * A push-driven async iterator: producers push values, one consumer pulls them with
 * for-await. `onReturn` runs once when the consumer stops (break, return, error) or the
 * producer ends it, so subscriptions release their source promptly.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  /** The key each queued value was pushed with (null: none), index for index with `values`. */
  private readonly keys: (string | null)[] = [];
  private waiter: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;
  private failure: unknown = null;

  constructor(private readonly onReturn: () => void = () => undefined) {}

  /**
   * Queues a value, or hands it to the consumer waiting for one. With a `key`, a value still
   * queued under the same key is dropped: the queue keeps the latest state of each thing.
   */
  push(value: T, key: string | null = null): void {
    if (this.done) return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = null;
      resolve({ value, done: false });
      return;
    }
    if (key !== null) {
      const older = this.keys.indexOf(key);
      if (older !== -1) {
        this.values.splice(older, 1);
        this.keys.splice(older, 1);
      }
    }
    this.values.push(value);
    this.keys.push(key);
  }

  /** Whether the consumer is waiting for a value now (it has taken every one pushed). */
  get waiting(): boolean {
    return this.waiter !== null;
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
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = null;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.values.length) {
      this.keys.shift();
      return Promise.resolve({ value: this.values.shift() as T, done: false });
    }
    if (this.done) {
      if (this.failure) {
        const err = this.failure;
        this.failure = null;
        return Promise.reject(err);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.values.length = 0;
    this.keys.length = 0;
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
