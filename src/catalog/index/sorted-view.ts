import type { CatalogEntry } from './catalog-entry.js';

/** Above this share of changed entries a full sort is cheaper than a merge. */
const RESORT_SHARE = 0.25;

/**
 * One sorted order of the index, kept up to date by merging: entries added
 * or whose sort key changed are sorted on their own (k log k) and merged into
 * the array minus the removed and moved ones (linear), instead of sorting
 * 100,000 entries again after every scan batch or watch event.
 */
export class SortedView {
  private sorted: CatalogEntry[] | null = null;
  private readonly moved = new Set<CatalogEntry>();
  private readonly removed = new Set<CatalogEntry>();

  constructor(private readonly compare: (a: CatalogEntry, b: CatalogEntry) => number) {}

  /** An entry was added, or its sort key changed. */
  touch(entry: CatalogEntry): void {
    if (this.sorted === null) return;
    this.removed.delete(entry);
    this.moved.add(entry);
  }

  remove(entry: CatalogEntry): void {
    if (this.sorted === null) return;
    this.moved.delete(entry);
    this.removed.add(entry);
  }

  /** The order of `all` (the index's entries now). */
  entries(all: () => CatalogEntry[]): readonly CatalogEntry[] {
    if (this.sorted === null || (this.moved.size + this.removed.size) > this.sorted.length * RESORT_SHARE) {
      this.sorted = all().sort(this.compare);
    } else if (this.moved.size + this.removed.size > 0) {
      const kept = this.sorted.filter((entry) => !this.moved.has(entry) && !this.removed.has(entry));
      this.sorted = merge(kept, [...this.moved].sort(this.compare), this.compare);
    }
    this.moved.clear();
    this.removed.clear();
    return this.sorted;
  }
}

function merge(a: CatalogEntry[], b: CatalogEntry[], compare: (x: CatalogEntry, y: CatalogEntry) => number): CatalogEntry[] {
  if (b.length === 0) return a;
  const out: CatalogEntry[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compare(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
