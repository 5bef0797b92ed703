import { idBaseName, isHiddenId, malformedIdReason } from '../media-id.js';
import type { MediaItem } from '../media.repository.js';
import type { MediaTypes } from '../media-types.js';

/** S3 ETags are strong and quoted; some servers drop the quotes. */
export function quotedEtag(etag: string): string {
  return /^(W\/)?"/.test(etag) ? etag : `"${etag}"`;
}

/** An object key below the prefix is an ID under the same rules as a file path. */
export function isServableKeyId(id: string): boolean {
  return malformedIdReason(id) === null && !isHiddenId(id);
}

/** The item of one object: shared by the repository and the scanner, so both announce the same ETag. */
export function objectItem(id: string, size: number, etag: string, modifiedAt: Date, types: MediaTypes): MediaItem {
  const name = idBaseName(id);
  return { id, name, size, modifiedAt, etag: quotedEtag(etag), mimeType: types.contentType(name) };
}
