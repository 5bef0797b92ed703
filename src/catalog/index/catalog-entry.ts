import type { ProbeResult } from '../../derive/media-metadata.js';
import type { MediaItem } from '../../media/storage/media.repository.js';

/**
 * One item of the in-memory index. Updated in place when its row changes,
 * so the sorted arrays that hold it stay valid unless a sort key changed.
 */
export interface CatalogEntry {
  item: MediaItem;
  /** The ID lower-cased once, for `q`. */
  lowerId: string;
  /** The mimeType's top-level type, for `type`. */
  type: string;
  /** The stored probe of the current bytes (same ETag), or null. */
  probe: ProbeResult | null;
  duration: number | null;
}
