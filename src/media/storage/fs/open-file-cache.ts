import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** An open, checked media file shared by the requests that use it. */
export interface OpenFile {
  readonly handle: FileHandle;
  readonly stats: Stats;
}

interface Entry extends OpenFile {
  expires: number;
  users: number;
  cached: boolean;
}

/**
 * A short-lived cache of open descriptors and their fstat, like nginx's
 * open_file_cache: a burst of range requests for one file (a player seeking,
 * a download manager's connections) pays the path checks, open and fstat
 * once instead of per request.
 *
 * Safety: an entry is trusted for `ttlMs` only, then the path is resolved and
 * checked again. A file replaced meanwhile (the usual way: write elsewhere,
 * rename over) keeps being served from the old descriptor, whose bytes still
 * match the size and ETag announced for it; it is never mixed with the new
 * one. At most `maxEntries` descriptors are held by the cache; a descriptor
 * is closed only when the cache has dropped it and no response still reads it.
 */
export class OpenFileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry | null>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /**
   * The open file for `key`, opening it with `open` on a miss (concurrent
   * misses share one open). Call `release` once done with it.
   */
  async acquire(key: string, open: () => Promise<OpenFile | null>): Promise<OpenFile | null> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      if (hit.expires > now) {
        hit.users++;
        return hit;
      }
      this.drop(key, hit);
    }
    let opening = this.pending.get(key);
    if (opening === undefined) {
      opening = this.open(key, open);
      this.pending.set(key, opening);
      void opening.finally(() => this.pending.delete(key)).catch(() => undefined);
    }
    const entry = await opening;
    if (entry === null) {
      return null;
    }
    entry.users++;
    return entry;
  }

  release(file: OpenFile): void {
    const entry = file as Entry;
    entry.users--;
    if (!entry.cached && entry.users === 0) {
      void entry.handle.close().catch(() => undefined);
    }
  }

  /** Closes every descriptor no response is reading; the rest close on release. */
  clear(): void {
    for (const [key, entry] of this.entries) this.drop(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }

  private async open(key: string, open: () => Promise<OpenFile | null>): Promise<Entry | null> {
    const file = await open();
    if (file === null) {
      return null;
    }
    const entry: Entry = { ...file, expires: Date.now() + this.ttlMs, users: 0, cached: this.ttlMs > 0 };
    if (entry.cached) {
      this.entries.set(key, entry);
      // Expired entries are dropped on time, not at their next use: an idle
      // file must not stay open (nor a deleted one keep its disk space).
      setTimeout(() => this.drop(key, entry), this.ttlMs).unref();
      // Map keeps insertion order: the first entries are the oldest.
      for (const [oldKey, old] of this.entries) {
        if (this.entries.size <= this.maxEntries) break;
        this.drop(oldKey, old);
      }
    }
    return entry;
  }

  private drop(key: string, entry: Entry): void {
    if (!entry.cached) return;
    if (this.entries.get(key) === entry) this.entries.delete(key);
    entry.cached = false;
    if (entry.users === 0) {
      void entry.handle.close().catch(() => undefined);
    }
  }
}
