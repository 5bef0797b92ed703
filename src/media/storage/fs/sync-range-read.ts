import { readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { MediaChangedError } from '../media-errors.js';
import { BUFFERED_BODY_MAX_BYTES } from '../media.repository.js';

/**
 * Ranges up to this size are read in one synchronous positional read, as
 * nginx does without aio: from the page cache that takes microseconds, while
 * an asynchronous read costs a hop to libuv's thread pool and back, which
 * profiles showed to dominate small-range requests (and which, on a server
 * pinned to one core, also means a context switch per read). Larger ranges
 * are read in pieces of at most this size (see FileRangeReadable), so a cold
 * disk never blocks the loop for long.
 */
export const SYNC_READ_MAX_BYTES = BUFFERED_BODY_MAX_BYTES;

/** Bytes `start` to `end` of a descriptor, read at once (`end - start < SYNC_READ_MAX_BYTES`). */
export function readSmallRange(fd: number, start: number, end: number): Readable {
  return new OneBufferReadable(readRangeSync(fd, start, end));
}

/** Bytes `start` to `end` of a descriptor in one buffer, read synchronously (see SYNC_READ_MAX_BYTES). */
export function readRangeSync(fd: number, start: number, end: number): Buffer {
  const length = end - start + 1;
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const bytesRead = readSync(fd, buffer, filled, length - filled, start + filled);
    if (bytesRead === 0) {
      throw new MediaChangedError('media file ended before the announced length');
    }
    filled += bytesRead;
  }
  return buffer;
}

/** A stream of one buffer that is already in memory. */
class OneBufferReadable extends Readable {
  constructor(private buffer: Buffer | null) {
    super({ highWaterMark: 0 });
  }

  override _read(): void {
    if (this.buffer !== null) {
      const buffer = this.buffer;
      this.buffer = null;
      this.push(buffer);
    }
    this.push(null);
  }
}
