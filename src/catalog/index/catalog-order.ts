import type { ListOrder, ListSort, ListType } from '../../media/api/list-query.js';
import type { CatalogEntry } from './catalog-entry.js';

/**
 * The contract's ID order: JavaScript's default string order, by UTF-16 code
 * units. Done here and not in SQL: SQLite's BINARY collation compares UTF-8
 * bytes, which puts U+E000-U+FFFF after characters above U+FFFF.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Key = (entry: CatalogEntry) => number | string | null;

const KEYS: Record<Exclude<ListSort, 'id'>, Key> = {
  name: (entry) => entry.item.name,
  modifiedAt: (entry) => entry.item.modifiedAt.getTime(),
  size: (entry) => entry.item.size,
  duration: (entry) => entry.duration,
};

/**
 * The comparator of `sort` and `order`: ties by ID (ascending in both
 * orders), and an unknown duration last in both orders.
 */
export function comparatorOf(sort: ListSort, order: ListOrder): (a: CatalogEntry, b: CatalogEntry) => number {
  const sign = order === 'asc' ? 1 : -1;
  if (sort === 'id') return (a, b) => sign * compareIds(a.item.id, b.item.id);
  const key = KEYS[sort];
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return sign * (ka < kb ? -1 : 1);
    }
    return compareIds(a.item.id, b.item.id);
  };
}

/** `entries` in the order of `sort` and `order` (a new array). */
export function sortEntries(entries: readonly CatalogEntry[], sort: ListSort, order: ListOrder): CatalogEntry[] {
  return [...entries].sort(comparatorOf(sort, order));
}

export interface PageFilter {
  /** Lower-cased substring of the ID; '' matches every item. */
  needle: string;
  type: ListType | null;
  offset: number;
  limit: number;
}

/**
 * One page of `sorted` and the number of all matches. Without a filter it is
 * a slice; with one, one pass of a substring test per item (about 3 ms for
 * 100,000 IDs), since `total` must count every match, unless `knownTotal`
 * (that count, remembered) lets the pass stop once the page is full.
 */
export function pageOf(
  sorted: readonly CatalogEntry[],
  filter: PageFilter,
  knownTotal: number | null = null,
): { entries: CatalogEntry[]; total: number } {
  const { needle, type, offset, limit } = filter;
  if (needle === '' && type === null) {
    return { entries: sorted.slice(offset, offset + limit), total: sorted.length };
  }
  const entries: CatalogEntry[] = [];
  let total = 0;
  for (const entry of sorted) {
    if (type !== null && entry.type !== type) continue;
    if (needle !== '' && !entry.lowerId.includes(needle)) continue;
    if (total >= offset && entries.length < limit) entries.push(entry);
    total++;
    if (knownTotal !== null && (entries.length === limit || total >= knownTotal)) break;
  }
  return { entries, total: knownTotal ?? total };
}
