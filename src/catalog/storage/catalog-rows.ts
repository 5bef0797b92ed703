import type { ProbeResult, MediaMetadata } from '../../derive/media-metadata.js';
import type { MediaItem } from '../../media/storage/media.repository.js';
import type { StoredFile } from '../../media/storage/media-scanner.js';

export interface ItemRow {
  id: string;
  name: string;
  size: number;
  modified_ms: number;
  etag: string;
  mime_type: string;
  type: string;
  probed_etag: string | null;
  metadata: string | null;
  duration: number | null;
  has_cover_art: number;
  deleted: number;
}

export interface SidecarRow {
  id: string;
  size: number;
  modified_ms: number;
  etag: string;
  deleted: number;
}

export function itemOfRow(row: ItemRow): MediaItem {
  return { id: row.id, name: row.name, size: row.size, modifiedAt: new Date(row.modified_ms), etag: row.etag, mimeType: row.mime_type };
}

/** The stored probe of the row's current bytes, or null when none was stored for this ETag. */
export function probeOfRow(row: ItemRow): ProbeResult | null {
  if (row.probed_etag === null || row.probed_etag !== row.etag || row.metadata === null) return null;
  return { etag: row.probed_etag, metadata: JSON.parse(row.metadata) as MediaMetadata, hasCoverArt: row.has_cover_art === 1 };
}

export function sidecarOfRow(row: SidecarRow): StoredFile {
  return { id: row.id, size: row.size, modifiedAt: new Date(row.modified_ms), etag: row.etag };
}

/** `video/webm` -> `video`: what `type=` filters on. */
export function topLevelType(mimeType: string): string {
  const slash = mimeType.indexOf('/');
  return slash === -1 ? mimeType : mimeType.slice(0, slash);
}
