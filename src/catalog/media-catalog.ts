import type { MediaMetadata } from '../derive/media-metadata.js';
import type { ListQuery } from '../media/api/list-query.js';
import type { MediaItem } from '../media/storage/media.repository.js';
import type { StoredFile } from '../media/storage/media-scanner.js';

/** What the catalog knows of an item beyond storage's description of it. */
export interface ItemDetails {
  metadata: MediaMetadata;
  hasCoverArt: boolean;
  /** Sidecar files that may belong to the item (subtitleTracks and posterSidecar pick by name). */
  sidecars: StoredFile[];
}

export interface CatalogedItem {
  item: MediaItem;
  details: ItemDetails;
}

export interface CatalogPage {
  items: CatalogedItem[];
  total: number;
}

/**
 * The index of what storage holds: the only place the listing is answered.
 * It never decides whether bytes may be served (the item routes ask storage).
 */
export interface MediaCatalog {
  /** A page of the listing; never waits for a scan or a probe. */
  list(query: ListQuery): CatalogPage;
  /**
   * Details of `item` as storage describes it now; when its probe is still
   * pending, waits up to `waitMs` for it.
   */
  details(item: MediaItem, waitMs: number): Promise<ItemDetails>;
  /** Items in the catalog (for the media_catalog_items gauge); constant time. */
  count(): number;
}

export const MEDIA_CATALOG = Symbol('MEDIA_CATALOG');
