/**
 * A least-recently-used map bounded by the bytes its values take (as the caller measures them) and by a number of
 * entries, whose entries also expire. One `Map` in insertion order: a hit moves its key to the end, eviction takes
 * from the front.
 */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number; expires: number }>();
  private used = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= now) {
      this.used -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores the value unless it alone would take more than a quarter of the bound (it would flush the rest). */
  set(key: string, value: V, bytes: number, ttlMs: number, now = Date.now()): boolean {
    this.delete(key);
    if (bytes > this.maxBytes / 4 || ttlMs <= 0) return false;
    this.entries.set(key, { value, bytes, expires: now + ttlMs });
    this.used += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
      this.used -= entry.bytes;
    }
    return true;
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.used;
  }
}
