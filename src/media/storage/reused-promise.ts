/**
 * The result of an expensive lookup, reused for `ttlMs` and shared by the
 * callers that ask meanwhile. A failure is not kept: the next call tries
 * again. A TTL of 0 reuses nothing.
 */
export class ReusedPromise<T> {
  private current: { expires: number; value: Promise<T> } | null = null;

  constructor(private readonly ttlMs: number) {}

  get(load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    if (this.current !== null && this.current.expires > now) {
      return this.current.value;
    }
    const value = load();
    if (this.ttlMs > 0) {
      const current = { expires: now + this.ttlMs, value };
      this.current = current;
      value.catch(() => {
        if (this.current === current) this.current = null;
      });
    }
    return value;
  }
}
