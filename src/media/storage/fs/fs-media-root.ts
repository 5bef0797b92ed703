import { constants, type Stats } from 'node:fs';
import { type FileHandle, access, open, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MediaStorageUnavailableError } from '../media-errors.js';
import { isHiddenId } from '../media-id.js';
import { ReusedPromise } from '../reused-promise.js';
import type { OpenFile } from './open-file-cache.js';

// Errors that mean "nothing servable here" rather than a fault of the server.
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'EPERM', 'ENAMETOOLONG', 'EISDIR', 'ENXIO']);
// O_NONBLOCK: opening a FIFO swapped in after the check must not hang.
// O_NOFOLLOW: the path is already resolved, so a link at the end means a swap.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** How long the root's real path is trusted before it is resolved again. */
const ROOT_REFRESH_MS = 5_000;

// Duck-typed rather than `instanceof Error`: errors made in another realm
// (a VM context, as under Jest) fail that check.
export function isAbsent(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && ABSENT.has(code);
}

/**
 * Which names a root serves: media by MEDIA_EXTENSIONS, or sidecars. Asked of
 * both the ID and the real path, so a link must also point at such a file.
 */
export type ServableName = (name: string) => boolean;

/**
 * The media root and its rules: which IDs name servable files, where they
 * really are, and opening them so that nothing outside the root (through a
 * link, or a folder swapped for one mid-check) is ever read.
 */
export class MediaRoot {
  private readonly rootReal = new ReusedPromise<string>(ROOT_REFRESH_MS);

  constructor(
    readonly path: string,
    private readonly isServableName: ServableName,
  ) {}

  /** Resolves, opens and checks one ID; null when it is not servable. */
  async openChecked(id: string): Promise<OpenFile | null> {
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

  async assertReadable(): Promise<void> {
    try {
      await access(this.path, constants.R_OK | constants.X_OK);
    } catch (error) {
      throw new MediaStorageUnavailableError('MEDIA_ROOT cannot be read', { cause: error });
    }
  }

  /**
   * The root's real path, resolved again every ROOT_REFRESH_MS so that a
   * deploy which swaps a MEDIA_ROOT symlink is followed; a failure is not
   * kept, so a root that comes back is served again.
   */
  real(): Promise<string> {
    return this.rootReal.get(() => realpath(this.path)).catch((error: unknown) => {
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
    const root = await this.real();
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
    if (isHiddenId(id) || !this.isServableName(id)) {
      return null;
    }
    const root = await this.real();
    let real: string;
    try {
      real = await realpath(path.join(root, id));
    } catch (error) {
      if (!isAbsent(error)) throw error;
      // Missing, unless the whole root is: that is an outage, not a 404.
      await this.assertReadable();
      return null;
    }
    return this.isServableRealPath(root, real) ? real : null;
  }

  /**
   * Inside the root (not merely sharing its prefix, as /root-other does), not
   * hidden, and servable itself: a link named .mp4 must not expose notes.txt,
   * nor one named .vtt a media file.
   */
  private isServableRealPath(root: string, real: string): boolean {
    const relative = path.relative(root, real);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      return false;
    }
    return !isHiddenId(relative.split(path.sep).join('/')) && this.isServableName(real);
  }
}
