import type { ListOrder, ListSort } from '../../media/api/list-query.js';
import type { StoredFile } from '../../media/storage/media-scanner.js';
import { sidecarOwners } from '../../media/storage/sidecar-names.js';
import { itemOfRow, probeOfRow, sidecarOfRow } from '../storage/catalog-rows.js';
import type { CatalogChanges } from '../storage/catalog-store.js';
import type { CatalogEntry } from './catalog-entry.js';
import { LIST_ORDERS, LIST_SORTS } from '../../media/api/list-query.js';
import { comparatorOf } from './catalog-order.js';
import { SortedView } from './sorted-view.js';

/**
 * The catalog in memory, kept in step with the SQLite file by applying the
 * rows written since the last `rev` seen. Each sorted order is made on
 * first use and then patched with what changed (see SortedView): a page is a
 * slice (or one filtered pass) of a ready array.
 */
export class CatalogIndex {
  rev = 0;
  private readonly entries = new Map<string, CatalogEntry>();
  private readonly sidecars = new Map<string, StoredFile>();
  /** Item stem (`trailers/clip`) -> IDs of the sidecars that may belong to it. */
  private readonly sidecarsByStem = new Map<string, Set<string>>();
  private readonly orders = new Map<string, SortedView>(
    LIST_SORTS.flatMap((sort) => LIST_ORDERS.map((order) => [`${sort}:${order}`, new SortedView(comparatorOf(sort, order))] as const)),
  );

  get size(): number {
    return this.entries.size;
  }

  get(id: string): CatalogEntry | undefined {
    return this.entries.get(id);
  }

  all(): IterableIterator<CatalogEntry> {
    return this.entries.values();
  }

  sidecarIds(): IterableIterator<string> {
    return this.sidecars.keys();
  }

  sidecar(id: string): StoredFile | undefined {
    return this.sidecars.get(id);
  }

  order(sort: ListSort, order: ListOrder): readonly CatalogEntry[] {
    return (this.orders.get(`${sort}:${order}`) as SortedView).entries(() => [...this.entries.values()]);
  }

  /** The sidecar files that may belong to the item with this stem (callers pick by name rules). */
  sidecarsOf(stem: string): StoredFile[] {
    const ids = this.sidecarsByStem.get(stem);
    if (ids === undefined) return [];
    return [...ids].map((id) => this.sidecars.get(id)).filter((file): file is StoredFile => file !== undefined);
  }

  apply(changes: CatalogChanges): void {
    for (const row of changes.items) {
      const known = this.entries.get(row.id);
      if (row.deleted === 1) {
        if (known !== undefined) {
          this.entries.delete(row.id);
          for (const view of this.orders.values()) view.remove(known);
        }
        continue;
      }
      const item = itemOfRow(row);
      const probe = probeOfRow(row);
      const duration = probe?.metadata.durationSeconds ?? null;
      if (known === undefined) {
        const entry = { item, lowerId: row.id.toLowerCase(), type: row.type, probe, duration };
        this.entries.set(row.id, entry);
        for (const view of this.orders.values()) view.touch(entry);
        continue;
      }
      const moved: ListSort[] = [];
      if (known.item.size !== item.size) moved.push('size');
      if (known.item.modifiedAt.getTime() !== item.modifiedAt.getTime()) moved.push('modifiedAt');
      if (known.duration !== duration) moved.push('duration');
      Object.assign(known, { item, type: row.type, probe, duration });
      for (const sort of moved) this.touch(sort, known);
    }
    for (const row of changes.sidecars) {
      if (row.deleted === 1) {
        if (this.sidecars.delete(row.id)) this.unlinkSidecar(row.id);
      } else {
        if (!this.sidecars.has(row.id)) this.linkSidecar(row.id);
        this.sidecars.set(row.id, sidecarOfRow(row));
      }
    }
    this.rev = changes.rev;
  }

  private touch(sort: ListSort, entry: CatalogEntry): void {
    for (const order of LIST_ORDERS) this.orders.get(`${sort}:${order}`)?.touch(entry);
  }

  private linkSidecar(id: string): void {
    for (const owner of sidecarOwners(id)) {
      let ids = this.sidecarsByStem.get(owner.itemStem);
      if (ids === undefined) this.sidecarsByStem.set(owner.itemStem, (ids = new Set()));
      ids.add(id);
    }
  }

  private unlinkSidecar(id: string): void {
    for (const owner of sidecarOwners(id)) {
      const ids = this.sidecarsByStem.get(owner.itemStem);
      ids?.delete(id);
      if (ids?.size === 0) this.sidecarsByStem.delete(owner.itemStem);
    }
  }
}
