import etag from 'etag';
import { constants, fstatSync, Stats } from 'node:fs';
import { FileHandle, access, open, readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Readable } from 'node:stream';
import { FileRangeReadable } from './file-range.readable.js';
import { SYNC_READ_MAX_BYTES, readRangeSync, readSmallRange } from './sync-range-read.js';
import { idBaseName, isHiddenId, malformedIdReason } from '../media-id.js';
import { MediaStorageUnavailableError } from '../media-errors.js';
import { MediaOptions } from '../../media-options.js';
import { MediaItem, MediaRepository, MediaSource } from '../media.repository.js';
import { MediaTypes } from '../media-types.js';
import { OpenFile, OpenFileCache } from './open-file-cache.js';
import { ReusedPromise } from '../reused-promise.js';

// Errors that mean "nothing servable here" rather than a fault of the server.
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'EPERM', 'ENAMETOOLONG', 'EISDIR', 'ENXIO']);
// O_NONBLOCK: opening a FIFO swapped in after the check must not hang.
// O_NOFOLLOW: the path is already resolved, so a link at the end means a swap.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

// Duck-typed rather than `instanceof Error`: errors made in another realm
// (a VM context, as under Jest) fail that check.
/** Files checked at once while listing. */
const LIST_CONCURRENCY = 16;
/** Descriptors the open-file cache may hold (as nginx's open_file_cache max). */
const MAX_CACHED_FILES = 1000;
/** How long the root's real path is trusted before it is resolved again. */
const ROOT_REFRESH_MS = 5_000;

function isAbsent(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && ABSENT.has(code);
}

/** Serves the regular media files below one folder. */
export class FileSystemMediaRepository implements MediaRepository, OnApplicationShutdown {
  private readonly types: MediaTypes;
  private readonly chunkSize: number;
  private readonly files: OpenFileCache;
  private readonly listing: ReusedPromise<MediaItem[]>;
  private readonly rootReal = new ReusedPromise<string>(ROOT_REFRESH_MS);
  private readonly descriptions = new WeakMap<OpenFile, { size: number; mtimeMs: number; item: MediaItem }>();

  constructor(
    private readonly root: string,
    options: Pick<MediaOptions, 'extensions' | 'chunkSize' | 'openFileCacheMs'>,
  ) {
    this.types = new MediaTypes(options.extensions);
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
    const file = await this.files.acquire(id, () => this.openChecked(id));
    if (file === null) {
      return null;
    }
    // A cached descriptor still names the same file, but that file may have
    // been rewritten in place: its size and dates are read afresh every time
    // (synchronously: about a microsecond, no trip to the thread pool).
    const stats = fstatSync(file.handle.fd);
    return new FileMediaSource(this.describeOpen(id, file, stats), file, this.files, this.chunkSize);
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

  /** Resolves, opens and checks one ID; null when it is not servable. */
  private async openChecked(id: string): Promise<OpenFile | null> {
    const real = await this.resolve(id);
    if (real === null) {
      return null;
    }
    let handle: FileHandle;
    try {
      handle = await open(real, OPEN_FLAGS);
    } catch (error) {
      if (isAbsent(error)) return null;
      throw error;
    }
    try {
      // The size announced is that of the open file, not of the path, so a
      // file replaced meanwhile cannot make the body disagree with it.
      const stats = await handle.stat();
      if (!stats.isFile() || !(await this.isServableDescriptor(handle.fd, stats, real))) {
        await handle.close();
        return null;
      }
      return { handle, stats };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /** Closes the cached descriptors when the application stops. */
  onApplicationShutdown(): void {
    this.files.clear();
  }

  async ping(): Promise<void> {
    // The configured path, not the cached real one: a root renamed away must fail.
    await this.assertRootReadable();
    await readdir(this.root);
  }

  private async assertRootReadable(): Promise<void> {
    try {
      await access(this.root, constants.R_OK | constants.X_OK);
    } catch (error) {
      throw new MediaStorageUnavailableError('MEDIA_ROOT cannot be read', { cause: error });
    }
  }

  /**
   * The root's real path, resolved again every ROOT_REFRESH_MS so that a
   * deploy which swaps a MEDIA_ROOT symlink is followed; a failure is not
   * kept, so a root that comes back is served again.
   */
  private realRoot(): Promise<string> {
    return this.rootReal.get(() => realpath(this.root)).catch((error: unknown) => {
      throw new MediaStorageUnavailableError('MEDIA_ROOT cannot be resolved', { cause: error });
    });
  }

  /**
   * Checks what the descriptor really is. realpath and open are two steps: a
   * folder on the way swapped for a link between them would let open follow
   * it out of the root, which O_NOFOLLOW (last part only) cannot stop. On
   * Linux /proc names the opened file itself; elsewhere the path is resolved
   * again and must still be the same file.
   */
  private async isServableDescriptor(fd: number, opened: Stats, expected: string): Promise<boolean> {
    const root = await this.realRoot();
    try {
      const target = await readlink(`/proc/self/fd/${fd}`);
      return target === expected && this.isServableRealPath(root, target);
    } catch {
      try {
        const [again, byPath] = await Promise.all([realpath(expected), stat(expected)]);
        return again === expected && byPath.ino === opened.ino && byPath.dev === opened.dev && this.isServableRealPath(root, again);
      } catch (error) {
        if (isAbsent(error)) return false;
        throw error;
      }
    }
  }

  /** The real path of a servable ID, or null; nothing outside the root. */
  private async resolve(id: string): Promise<string | null> {
    if (isHiddenId(id) || !this.types.isMedia(id)) {
      return null;
    }
    const root = await this.realRoot();
    let real: string;
    try {
      real = await realpath(path.join(root, id));
    } catch (error) {
      if (!isAbsent(error)) throw error;
      // Missing, unless the whole root is: that is an outage, not a 404.
      await this.assertRootReadable();
      return null;
    }
    return this.isServableRealPath(root, real) ? real : null;
  }

  /**
   * Inside the root (not merely sharing its prefix, as /root-other does), not
   * hidden, and media itself: a link named .mp4 must not expose notes.txt.
   */
  private isServableRealPath(root: string, real: string): boolean {
    const relative = path.relative(root, real);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      return false;
    }
    return !isHiddenId(relative.split(path.sep).join('/')) && this.types.isMedia(real);
  }

  private async listFresh(): Promise<MediaItem[]> {
    const root = await this.realRoot();
    await this.assertRootReadable();
    const ids: string[] = [];
    await this.collect(root, root, ids);
    // Each check holds a descriptor for a moment: a bounded number at a time,
    // so a folder of 100,000 files cannot exhaust the process's descriptors.
    const items: MediaItem[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const item = await this.describe(ids[next++]);
        if (item !== null) items.push(item);
      }
    };
    await Promise.all(Array.from({ length: LIST_CONCURRENCY }, worker));
    return items;
  }

  /** One item checked as open() checks it, without keeping it in the open-file cache. */
  private async describe(id: string): Promise<MediaItem | null> {
    const file = await this.openChecked(id);
    if (file === null) {
      return null;
    }
    await file.handle.close();
    return this.toItem(id, file.stats);
  }

  /** IDs of the candidate files below `folder`: not hidden, media by name, well-formed. */
  private async collect(root: string, folder: string, ids: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isAbsent(error)) return;
      throw error;
    }
    const folders: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      const id = path.relative(root, full).split(path.sep).join('/');
      // A name the API would refuse (a backslash, a control character, too
      // long) is not listed: its streamUrl could never be followed.
      if (malformedIdReason(id) !== null) continue;
      if (entry.isDirectory()) {
        folders.push(full);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && this.types.isMedia(entry.name)) {
        // describe() applies the link and file-type rules; links to folders end there too.
        ids.push(id);
      }
    }
    for (const sub of folders) await this.collect(root, sub, ids);
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

class FileMediaSource implements MediaSource {
  private closing = false;
  private released = false;
  // Readers still open: the descriptor is released only after the last one
  // has closed (a destroyed reader closes once its pending read is done).
  private readers = 0;

  constructor(
    readonly item: MediaItem,
    private readonly file: OpenFile,
    private readonly cache: OpenFileCache,
    private readonly chunkSize: number,
  ) {}

  async read(start: number, end: number): Promise<Readable> {
    const fd = this.file.handle.fd;
    const reader = end - start < SYNC_READ_MAX_BYTES ? readSmallRange(fd, start, end) : new FileRangeReadable(fd, start, end, this.chunkSize);
    this.readers++;
    reader.once('close', () => {
      this.readers--;
      this.releaseWhenIdle();
    });
    return reader;
  }

  readBuffer(start: number, end: number): Promise<Buffer> {
    if (end - start >= SYNC_READ_MAX_BYTES) {
      return Promise.reject(new RangeError('readBuffer is for small ranges'));
    }
    try {
      return Promise.resolve(readRangeSync(this.file.handle.fd, start, end));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    this.closing = true;
    this.releaseWhenIdle();
    return Promise.resolve();
  }

  private releaseWhenIdle(): void {
    if (this.closing && this.readers === 0 && !this.released) {
      this.released = true;
      this.cache.release(this.file);
    }
  }
}
