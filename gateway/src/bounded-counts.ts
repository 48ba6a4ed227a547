/**
 * A count per key that never passes `max`: what one client address or one user holds at once
 * (sockets not yet signed in, live subscriptions). A key is forgotten when its count is 0.
 */
export class BoundedCounts {
  private readonly counts = new Map<string, number>();
  constructor(private readonly max: number) {}

  /** Counts one more for `key`, or answers false (and counts nothing) when it holds `max` already. */
  admit(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.max) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  /** Called once per successful admit (the caller makes sure of it). */
  release(key: string) {
    const count = (this.counts.get(key) ?? 1) - 1;
    if (count <= 0) this.counts.delete(key);
    else this.counts.set(key, count);
  }
}
