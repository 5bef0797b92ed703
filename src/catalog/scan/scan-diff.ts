import type { MediaItem } from '../../media/storage/media.repository.js';
import type { StoredFile } from '../../media/storage/media-scanner.js';

/** Same bytes as far as storage can tell without reading them. */
export function sameFile(a: StoredFile, b: StoredFile): boolean {
  return a.etag === b.etag && a.size === b.size && a.modifiedAt.getTime() === b.modifiedAt.getTime();
}

export function sameItem(a: MediaItem, b: MediaItem): boolean {
  return sameFile(a, b) && a.mimeType === b.mimeType && a.name === b.name;
}

export interface Diff<T> {
  upserts: T[];
  removals: string[];
}

/**
 * What to write so the catalog matches `found`: new and changed files, and
 * (when `found` is the whole of storage) the IDs no longer there. An
 * unchanged file is not written, so it keeps its probe.
 */
export function diff<T extends StoredFile>(
  found: readonly T[],
  known: (id: string) => T | undefined,
  knownIds: Iterable<string>,
  same: (a: T, b: T) => boolean,
  complete: boolean,
): Diff<T> {
  const upserts = found.filter((file) => {
    const before = known(file.id);
    return before === undefined || !same(before, file);
  });
  const removals: string[] = [];
  if (complete) {
    const present = new Set(found.map((file) => file.id));
    for (const id of knownIds) if (!present.has(id)) removals.push(id);
  }
  return { upserts, removals };
}
