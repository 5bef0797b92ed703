import type { ListType } from '../../media/api/list-query.js';

/** Filters remembered per revision; past this many the memory starts afresh. */
const MAX_FILTERS = 1_000;

/**
 * The number of items matching a filter (`q`, `type`), remembered for one
 * revision of the catalog index: the next page of a search, or the same
 * search asked again, then stops its pass at the end of the page instead of
 * testing all 100,000 IDs to count `total` (measured: 10 ms a page for
 * `q=` at 100,000 items, 1 ms at 100). Any change to the index (a new
 * revision) forgets every count, so `total` stays exact. Independent of the
 * sort: the matches are the same items in any order.
 */
export class MatchCounts {
  private rev = -1;
  private readonly counts = new Map<string, number>();

  get(rev: number, type: ListType | null, needle: string): number | null {
    this.at(rev);
    return this.counts.get(keyOf(type, needle)) ?? null;
  }

  set(rev: number, type: ListType | null, needle: string, total: number): void {
    this.at(rev);
    if (this.counts.size >= MAX_FILTERS) this.counts.clear();
    this.counts.set(keyOf(type, needle), total);
  }

  private at(rev: number): void {
    if (rev !== this.rev) {
      this.counts.clear();
      this.rev = rev;
    }
  }
}

function keyOf(type: ListType | null, needle: string): string {
  return `${type ?? ''}\u0000${needle}`;
}
