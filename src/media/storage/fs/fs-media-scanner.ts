import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MediaStorageUnavailableError } from '../media-errors.js';
import { isHiddenId, malformedIdReason } from '../media-id.js';
import type { MediaItem } from '../media.repository.js';
import type { MediaScanner, StorageScan, StoredFile } from '../media-scanner.js';
import { MediaTypes } from '../media-types.js';
import { sidecarKind } from '../sidecar-names.js';
import { fileItem, storedFile } from './fs-media-item.js';
import { isAbsent } from './fs-media-root.js';
import { mapBounded } from './fs-tree-walk.js';
import { watchTree } from './fs-tree-watch.js';

/**
 * Stats in flight at once. libuv's pool has 4 threads shared with the
 * stream route's reads: a few queued stats delay a read by microseconds,
 * hundreds would delay it by the whole queue.
 */
const STAT_CONCURRENCY = 8;
/** Entries found between two onProgress calls. */
const PROGRESS_EVERY = 2_000;

type Kind = 'media' | 'image' | 'subtitle';

/**
 * Walks the media root with readdir and stat only (no open per file), by the
 * rules of MediaRoot: inside the root, no dotfiles or dot-folders, a link
 * counted only when its real target is inside the root and of the same
 * kind, folders reached through links not walked. `onProgress` gets what was
 * found since its previous call.
 */
export class FileSystemMediaScanner implements MediaScanner {
  private readonly types: MediaTypes;

  constructor(
    private readonly rootPath: string,
    options: { extensions: readonly string[] },
  ) {
    this.types = new MediaTypes(options.extensions);
  }

  async scan(onProgress?: (partial: StorageScan) => void): Promise<StorageScan> {
    let root: string;
    try {
      root = await realpath(this.rootPath);
    } catch (error) {
      throw new MediaStorageUnavailableError('MEDIA_ROOT cannot be resolved', { cause: error });
    }
    const all: StorageScan = { items: [], sidecars: [] };
    let batch: StorageScan = { items: [], sidecars: [] };
    const found = (entry: MediaItem | StoredFile, kind: Kind): void => {
      if (kind === 'media') {
        all.items.push(entry as MediaItem);
        batch.items.push(entry as MediaItem);
      } else {
        all.sidecars.push(entry);
        batch.sidecars.push(entry);
      }
      if (onProgress !== undefined && batch.items.length + batch.sidecars.length >= PROGRESS_EVERY) {
        onProgress(batch);
        batch = { items: [], sidecars: [] };
      }
    };
    const folders = [root];
    for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
      const entries = await this.entries(folder);
      const files: Array<{ id: string; full: string; kind: Kind; link: boolean }> = [];
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const full = path.join(folder, entry.name);
        const id = path.relative(root, full).split(path.sep).join('/');
        // A name the API would refuse could never be followed from a listing.
        if (malformedIdReason(id) !== null) continue;
        if (entry.isDirectory()) {
          folders.push(full);
          continue;
        }
        const kind = this.kindOf(entry.name);
        if (kind !== null && (entry.isFile() || entry.isSymbolicLink())) files.push({ id, full, kind, link: entry.isSymbolicLink() });
      }
      const results = await mapBounded(files, STAT_CONCURRENCY, async (file) => {
        const stats = await this.statOf(root, file.full, file.kind, file.link);
        return stats === null ? null : { file, stats };
      });
      for (const { file, stats } of results) {
        found(file.kind === 'media' ? fileItem(file.id, stats, this.types) : storedFile(file.id, stats), file.kind);
      }
    }
    if (onProgress !== undefined && batch.items.length + batch.sidecars.length > 0) onProgress(batch);
    return all;
  }

  watch(onChange: () => void): (() => void) | null {
    return watchTree(this.rootPath, onChange);
  }

  private kindOf(name: string): Kind | null {
    // Media first: an operator who lists jpg in MEDIA_EXTENSIONS wants items.
    return this.types.isMedia(name) ? 'media' : sidecarKind(name);
  }

  private async entries(folder: string): Promise<Dirent[]> {
    try {
      return await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isAbsent(error)) return [];
      throw error;
    }
  }

  /** Stats of a servable file (a link's target, when its target qualifies), or null. */
  private async statOf(root: string, full: string, kind: Kind, link: boolean): Promise<Stats | null> {
    try {
      if (!link) {
        // lstat: a file swapped for a link since readdir is not followed.
        const stats = await lstat(full);
        return stats.isFile() ? stats : null;
      }
      const real = await realpath(full);
      const relative = path.relative(root, real);
      if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
      if (isHiddenId(relative.split(path.sep).join('/')) || this.kindOf(real) !== kind) return null;
      const stats = await stat(real);
      return stats.isFile() ? stats : null;
    } catch (error) {
      if (isAbsent(error)) return null;
      throw error;
    }
  }
}
