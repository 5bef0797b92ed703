import type { MediaItem } from './media.repository.js';

/**
 * A file below the storage root as a scan or a sidecar lookup sees it: a
 * media item or a sidecar (poster image, subtitle track).
 */
export interface StoredFile {
  /** Path relative to the root with `/` between folders (the media ID rules apply). */
  readonly id: string;
  readonly size: number;
  readonly modifiedAt: Date;
  /** A strong entity tag with its quotes, made as the stream route makes it. */
  readonly etag: string;
}

/** What one pass over storage found. */
export interface StorageScan {
  /** Every servable media item (same rules as MediaRepository.find). */
  readonly items: MediaItem[];
  /** Every file whose name makes it a sidecar (see sidecar-names.ts), by the same safety rules. */
  readonly sidecars: StoredFile[];
}

/**
 * Walks storage for the catalog. Unlike MediaRepository.list it is built for
 * 100,000 files: metadata only (stat or a listing page, no open per file),
 * bounded concurrency, and `onProgress` so the catalog can show what was
 * found before the walk ends.
 */
export interface MediaScanner {
  scan(onProgress?: (partial: StorageScan) => void): Promise<StorageScan>;
  /**
   * Calls `onChange` soon after something below the root changes, where the
   * backend can tell (fs watching); returns a function that stops watching,
   * or null when the backend cannot watch (S3: the catalog rescans instead).
   */
  watch?(onChange: () => void): (() => void) | null;
}

export const MEDIA_SCANNER = Symbol('MEDIA_SCANNER');
