import type { CatalogEntry } from './catalog-entry.js';
import { compareIds, pageOf, sortEntries } from './catalog-order.js';

function entry(id: string, size: number, duration: number | null, mtime = 0, type = 'video'): CatalogEntry {
  const name = id.slice(id.lastIndexOf('/') + 1);
  return {
    item: { id, name, size, modifiedAt: new Date(mtime), etag: '"e"', mimeType: `${type}/x` },
    lowerId: id.toLowerCase(),
    type,
    probe: null,
    duration,
  };
}

const ids = (entries: readonly CatalogEntry[]): string[] => entries.map((e) => e.item.id);

describe('compareIds', () => {
  it('orders by UTF-16 code units, not by UTF-8 bytes or locale', () => {
    const list = ['\uFF5E', '\u{1F600}', 'a', 'B', '\uE000', 'é'];
    expect([...list].sort(compareIds)).toEqual(['B', 'a', 'é', '\u{1F600}', '\uE000', '\uFF5E']);
    // UTF-8 byte order would put U+E000 and U+FF5E before U+1F600.
    expect(Buffer.compare(Buffer.from('\uE000'), Buffer.from('\u{1F600}'))).toBe(-1);
  });
});

describe('sortEntries', () => {
  const entries = [entry('c', 2, null), entry('a', 2, 5), entry('b', 1, 5), entry('d', 3, 1)];

  it('breaks ties by ID ascending in both orders', () => {
    expect(ids(sortEntries(entries, 'size', 'asc'))).toEqual(['b', 'a', 'c', 'd']);
    expect(ids(sortEntries(entries, 'size', 'desc'))).toEqual(['d', 'a', 'c', 'b']);
  });

  it('puts unknown durations last in both orders', () => {
    expect(ids(sortEntries(entries, 'duration', 'asc'))).toEqual(['d', 'a', 'b', 'c']);
    expect(ids(sortEntries(entries, 'duration', 'desc'))).toEqual(['a', 'b', 'd', 'c']);
  });

  it('reverses the ID order for sort=id&order=desc and leaves its input alone', () => {
    expect(ids(sortEntries(entries, 'id', 'desc'))).toEqual(['d', 'c', 'b', 'a']);
    expect(ids(entries)).toEqual(['c', 'a', 'b', 'd']);
  });
});

describe('pageOf', () => {
  const sorted = [entry('A.mp4', 1, null), entry('b.mp3', 1, null, 0, 'audio'), entry('c.MP4', 1, null), entry('d.mp3', 1, null, 0, 'audio')];

  it('slices without a filter and counts every item', () => {
    expect(pageOf(sorted, { needle: '', type: null, offset: 1, limit: 2 })).toEqual({ entries: sorted.slice(1, 3), total: 4 });
  });

  it('filters by lower-cased needle and type, total before paging', () => {
    expect(pageOf(sorted, { needle: 'mp4', type: null, offset: 0, limit: 1 })).toEqual({ entries: [sorted[0]], total: 2 });
    expect(pageOf(sorted, { needle: '', type: 'audio', offset: 1, limit: 5 })).toEqual({ entries: [sorted[3]], total: 2 });
    expect(pageOf(sorted, { needle: 'mp3', type: 'video', offset: 0, limit: 5 })).toEqual({ entries: [], total: 0 });
  });
});

describe('pageOf with a remembered total', () => {
  const sorted = Array.from({ length: 200 }, (_, i) => entry(`shelf/item-${String(i).padStart(3, '0')}.${i % 4 === 0 ? 'mp3' : 'mp4'}`, i, null, 0, i % 4 === 0 ? 'audio' : 'video'));
  const filters = [
    { needle: 'item-1', type: null, offset: 0, limit: 10 },
    { needle: 'item-1', type: null, offset: 95, limit: 10 },
    { needle: '', type: 'audio' as const, offset: 20, limit: 50 },
    { needle: '.mp3', type: 'audio' as const, offset: 49, limit: 5 },
    { needle: 'nothing', type: null, offset: 0, limit: 10 },
    { needle: 'item-0', type: 'video' as const, offset: 500, limit: 10 },
  ];

  it.each(filters)('answers the same page and total as the full pass (%j)', (filter) => {
    const full = pageOf(sorted, filter);
    const remembered = pageOf(sorted, filter, full.total);
    expect(ids(remembered.entries)).toEqual(ids(full.entries));
    expect(remembered.total).toBe(full.total);
  });
});
