import etag from 'etag';
import type { Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { idBaseName, isHiddenId, malformedIdReason } from '../media-id.js';
import type { MediaItem, MediaSource } from '../media.repository.js';
import type { StoredFile } from '../media-scanner.js';
import { MediaTypes } from '../media-types.js';
import { isSidecarId, isSidecarOf, sidecarSearch } from '../sidecar-lookup.js';
import { sidecarKind } from '../sidecar-names.js';
import type { SidecarStore } from '../sidecar-store.js';
import { MediaRoot, isAbsent } from './fs-media-root.js';
import { FileMediaSource } from './fs-media-source.js';
import { mapBounded } from './fs-tree-walk.js';
import { OpenFileCache } from './open-file-cache.js';

/** Sidecar files checked at once for one item (there are rarely more than a few). */
const CHECK_CONCURRENCY = 4;

/**
 * Sidecars below a media root, under the same rules as media (MediaRoot) but
 * with sidecar names: a link named `clip.vtt` must point at a sidecar inside
 * the root, never at a media file or anything outside.
 */
export class FileSystemSidecarStore implements SidecarStore {
  private readonly root: MediaRoot;
  private readonly types = new MediaTypes([]);
  // Never cached (TTL 0): sidecars are small and read once per response, and
  // a descriptor kept open would pin a deleted subtitle file.
  private readonly files = new OpenFileCache(0, 0);

  constructor(
    root: string,
    private readonly chunkSize: number,
  ) {
    this.root = new MediaRoot(root, (name) => sidecarKind(name) !== null);
  }

  /** One readdir of the item's folder, then each candidate opened and checked as openSidecar would. */
  async findSidecars(itemId: string): Promise<StoredFile[]> {
    if (malformedIdReason(itemId) !== null || isHiddenId(itemId)) return [];
    const { folder, stem } = sidecarSearch(itemId);
    const rootReal = await this.root.real();
    let names: string[];
    try {
      names = await readdir(path.join(rootReal, folder));
    } catch (error) {
      if (!isAbsent(error)) throw error;
      await this.root.assertReadable();
      return [];
    }
    const ids = names.map((name) => folder + name).filter((id) => isSidecarOf(stem, id));
    const found = await mapBounded(ids, CHECK_CONCURRENCY, async (id) => {
      const file = await this.root.openChecked(id);
      if (file === null) return null;
      await file.handle.close();
      return this.toItem(id, file.stats);
    });
    return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async openSidecar(sidecarId: string): Promise<MediaSource | null> {
    if (!isSidecarId(sidecarId)) return null;
    const file = await this.files.acquire(sidecarId, () => this.root.openChecked(sidecarId));
    if (file === null) return null;
    return new FileMediaSource(this.toItem(sidecarId, file.stats), file, this.files, this.chunkSize);
  }

  private toItem(id: string, stats: Stats): MediaItem {
    const name = idBaseName(id);
    return {
      id,
      name,
      size: stats.size,
      modifiedAt: stats.mtime,
      etag: etag(stats, { weak: false }),
      mimeType: this.types.contentType(name),
    };
  }
}
