import type { CatalogEntry } from './catalog-entry.js';
import { comparatorOf, sortEntries } from './catalog-order.js';
import { SortedView } from './sorted-view.js';

function entry(id: string, size: number): CatalogEntry {
  return { item: { id, name: id, size, modifiedAt: new Date(0), etag: '"e"', mimeType: 'video/mp4' }, lowerId: id, type: 'video', probe: null, duration: null };
}

describe('SortedView', () => {
  it('stays equal to a full sort through random adds, removals and key changes', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const live = new Map<string, CatalogEntry>();
    const view = new SortedView(comparatorOf('size', 'desc'));
    for (let round = 0; round < 300; round++) {
      for (let op = 0; op < 1 + random(5); op++) {
        const id = `id-${random(200)}`;
        const known = live.get(id);
        const roll = random(3);
        if (known === undefined) {
          const added = entry(id, random(20));
          live.set(id, added);
          view.touch(added);
        } else if (roll === 0) {
          live.delete(id);
          view.remove(known);
        } else {
          known.item = { ...known.item, size: random(20) };
          view.touch(known);
        }
      }
      const all = (): CatalogEntry[] => [...live.values()];
      expect(view.entries(all).map((e) => e.item.id)).toEqual(sortEntries(all(), 'size', 'desc').map((e) => e.item.id));
    }
  });
});
