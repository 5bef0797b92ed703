import etag from 'etag';
import type { Stats } from 'node:fs';
import { idBaseName } from '../media-id.js';
import type { MediaItem } from '../media.repository.js';
import type { MediaTypes } from '../media-types.js';
import type { StoredFile } from '../media-scanner.js';

/**
 * The item of a file from its stats: shared by the repository and the
 * scanner, so a listed ETag is always the one the stream route sends.
 */
export function fileItem(id: string, stats: Stats, types: MediaTypes): MediaItem {
  const name = idBaseName(id);
  return { id, name, size: stats.size, modifiedAt: stats.mtime, etag: etag(stats, { weak: false }), mimeType: types.contentType(name) };
}

export function storedFile(id: string, stats: Stats): StoredFile {
  return { id, size: stats.size, modifiedAt: stats.mtime, etag: etag(stats, { weak: false }) };
}
