import { Inject, Injectable, Optional } from '@nestjs/common';
import { METADATA_PROBER, PENDING_METADATA, type MetadataProber } from '../derive/media-metadata.js';
import type { ListQuery } from '../media/api/list-query.js';
import type { MediaItem } from '../media/storage/media.repository.js';
import { itemStem } from '../media/storage/sidecar-names.js';
import { UNAVAILABLE_METADATA } from './catalog-metadata.js';
import type { CatalogEntry } from './index/catalog-entry.js';
import { pageOf } from './index/catalog-order.js';
import { MatchCounts } from './index/match-counts.js';
import type { CatalogPage, ItemDetails, MediaCatalog } from './media-catalog.js';
import { CatalogIndexer } from './scan/catalog-indexer.js';
import { CatalogState } from './storage/catalog-state.js';

/** How often a worker that does not index looks for the probe a request waits for. */
const POLL_MS = 100;

/** Answers the listing and item details from the catalog (see MediaCatalog). */
@Injectable()
export class CatalogService implements MediaCatalog {
  private readonly matchCounts = new MatchCounts();

  constructor(
    private readonly state: CatalogState,
    private readonly indexer: CatalogIndexer,
    @Optional() @Inject(METADATA_PROBER) private readonly prober: MetadataProber | null = null,
  ) {}

  list(query: ListQuery): CatalogPage {
    this.state.refresh();
    const sorted = this.state.index.order(query.sort, query.order);
    const { rev } = this.state.index;
    const needle = query.q.toLowerCase();
    const known = this.matchCounts.get(rev, query.type, needle);
    const page = pageOf(sorted, { needle, type: query.type, offset: query.offset, limit: query.limit }, known);
    if (known === null) this.matchCounts.set(rev, query.type, needle, page.total);
    return { items: page.entries.map((entry) => ({ item: entry.item, details: this.detailsOf(entry.item, entry) })), total: page.total };
  }

  async details(item: MediaItem, waitMs: number): Promise<ItemDetails> {
    this.state.refresh();
    if (this.prober === null || this.isProbed(item)) return this.detailsOf(item, this.state.index.get(item.id));
    const deadline = Date.now() + waitMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    try {
      if (this.indexer.isIndexing) {
        await Promise.race([this.indexer.probeNow(item), timeout]);
      } else {
        // The indexing worker probes it; its write shows here through refresh.
        while (Date.now() < deadline && !this.isProbed(item)) {
          await Promise.race([new Promise((resolve) => setTimeout(resolve, POLL_MS)), timeout]);
          this.state.refresh();
        }
      }
    } finally {
      clearTimeout(timer);
    }
    this.state.refresh();
    return this.detailsOf(item, this.state.index.get(item.id));
  }

  count(): number {
    this.state.refresh();
    return this.state.index.size;
  }

  private isProbed(item: MediaItem): boolean {
    return this.state.index.get(item.id)?.probe?.etag === item.etag;
  }

  /** `item` as storage has it; `entry` as the catalog has it (its probe counts only for the same ETag). */
  private detailsOf(item: MediaItem, entry: CatalogEntry | undefined): ItemDetails {
    const probe = entry?.probe?.etag === item.etag ? entry.probe : null;
    const metadata = probe?.metadata ?? (this.prober === null ? UNAVAILABLE_METADATA : PENDING_METADATA);
    return { metadata, hasCoverArt: probe?.hasCoverArt ?? false, sidecars: this.state.index.sidecarsOf(itemStem(item.id)) };
  }
}
