import etag from 'etag';
import { fstatSync, type Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { OnApplicationShutdown } from '@nestjs/common';
import { idBaseName } from '../media-id.js';
import type { MediaOptions } from '../../media-options.js';
import type { MediaItem, MediaRepository, MediaSource } from '../media.repository.js';
import { MediaTypes } from '../media-types.js';
import { ReusedPromise } from '../reused-promise.js';
import { MediaRoot } from './fs-media-root.js';
import { FileMediaSource } from './fs-media-source.js';
import { collectCandidateIds, mapBounded } from './fs-tree-walk.js';
import { OpenFile, OpenFileCache } from './open-file-cache.js';

/** Files checked at once while listing. */
const LIST_CONCURRENCY = 16;
/** Descriptors the open-file cache may hold (as nginx's open_file_cache max). */
const MAX_CACHED_FILES = 1000;

/** Serves the regular media files below one folder. */
export class FileSystemMediaRepository implements MediaRepository, OnApplicationShutdown {
  private readonly types: MediaTypes;
  private readonly root: MediaRoot;
  private readonly chunkSize: number;
  private readonly files: OpenFileCache;
  private readonly listing: ReusedPromise<MediaItem[]>;
  private readonly descriptions = new WeakMap<OpenFile, { size: number; mtimeMs: number; item: MediaItem }>();

  constructor(root: string, options: Pick<MediaOptions, 'extensions' | 'chunkSize' | 'openFileCacheMs'>) {
    this.types = new MediaTypes(options.extensions);
    this.root = new MediaRoot(root, (name) => this.types.isMedia(name));
    this.chunkSize = options.chunkSize;
    this.files = new OpenFileCache(options.openFileCacheMs, MAX_CACHED_FILES);
    this.listing = new ReusedPromise(options.openFileCacheMs);
  }

  /**
   * Every servable item below the root. Reused for OPEN_FILE_CACHE_MS (and
   * shared by concurrent requests), since a walk opens and checks each file.
   */
  list(): Promise<MediaItem[]> {
    return this.listing.get(() => this.listFresh());
  }

  async find(id: string): Promise<MediaItem | null> {
    // Opened and checked like a GET, so HEAD and GET never disagree.
    const source = await this.open(id);
    if (source === null) {
      return null;
    }
    await source.close();
    return source.item;
  }

  async open(id: string): Promise<MediaSource | null> {
    const file = await this.files.acquire(id, () => this.root.openChecked(id));
    if (file === null) {
      return null;
    }
    // A cached descriptor still names the same file, but that file may have
    // been rewritten in place: its size and dates are read afresh every time
    // (synchronously: about a microsecond, no trip to the thread pool).
    const stats = fstatSync(file.handle.fd);
    return new FileMediaSource(this.describeOpen(id, file, stats), file, this.files, this.chunkSize);
  }

  /** Closes the cached descriptors when the application stops. */
  onApplicationShutdown(): void {
    this.files.clear();
  }

  async ping(): Promise<void> {
    // The configured path, not the cached real one: a root renamed away must fail.
    await this.root.assertReadable();
    await readdir(this.root.path);
  }

  /**
   * The item of an open file, reused while its size and modification time
   * stay the same: those are all the ETag and Last-Modified are made of, and
   * building them (a Date, an ETag, a type lookup) per request showed in
   * small-range profiles.
   */
  private describeOpen(id: string, file: OpenFile, stats: Stats): MediaItem {
    const known = this.descriptions.get(file);
    if (known !== undefined && known.size === stats.size && known.mtimeMs === stats.mtimeMs) {
      return known.item;
    }
    const item = this.toItem(id, stats);
    this.descriptions.set(file, { size: stats.size, mtimeMs: stats.mtimeMs, item });
    return item;
  }

  private async listFresh(): Promise<MediaItem[]> {
    const root = await this.root.real();
    await this.root.assertReadable();
    const ids = await collectCandidateIds(root, this.types);
    // Each candidate is checked as open() checks it (link and file-type
    // rules), without keeping it in the open-file cache.
    return mapBounded(ids, LIST_CONCURRENCY, async (id) => {
      const file = await this.root.openChecked(id);
      if (file === null) return null;
      await file.handle.close();
      return this.toItem(id, file.stats);
    });
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
