import { read, readSync } from 'node:fs';
import { MediaChangedError } from './media-errors.js';
import { Readable, type Writable } from 'node:stream';
import type { SelfWritingStream } from './media.repository.js';

/**
 * Bytes `start` to `end` (inclusive) of an open descriptor, read positionally
 * in pieces of at most `chunkSize` as the consumer asks for them: backpressure
 * bounds what is in memory to one piece plus the stream's buffer.
 *
 * Hand-written rather than fs.createReadStream because that stream closes
 * its descriptor when destroyed or fully read, and here the descriptor is
 * shared: by the parts of a multipart answer and, through the open-file
 * cache, by concurrent requests. The callback form of fs.read also costs less
 * per piece than FileHandle.read's promises.
 */
export class FileRangeReadable extends Readable implements SelfWritingStream {
  private position: number;
  // Set while a read is queued in libuv's pool; destroy waits for it, so the
  // descriptor is never released (and closed) under a read still running.
  private reading = false;
  private onReadDone: (() => void) | null = null;

  constructor(
    private readonly fd: number,
    start: number,
    private readonly end: number,
    private readonly chunkSize: number,
  ) {
    // The buffer above the piece being read: one piece, so a paused reader
    // holds at most about two pieces in memory.
    super({ highWaterMark: chunkSize });
    this.position = start;
  }

  override _read(): void {
    const length = Math.min(this.chunkSize, this.end - this.position + 1);
    if (length <= 0) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafe(length);
    this.reading = true;
    read(this.fd, buffer, 0, length, this.position, (error, bytesRead) => {
      this.reading = false;
      if (this.onReadDone !== null) {
        this.onReadDone();
        return;
      }
      if (error !== null) {
        this.destroy(error);
        return;
      }
      if (bytesRead === 0) {
        // The file shrank under us: fail, so the response is cut short
        // rather than ending as if it were complete.
        this.destroy(new MediaChangedError('media file ended before the announced length'));
        return;
      }
      this.position += bytesRead;
      this.push(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
    });
  }

  /**
   * Sends the range to `destination` with one buffer of `chunkSize`, reused:
   * each piece is read synchronously into it once the previous write has been
   * handed to the kernel. Measured here with four fast clients: about 1.8 GB/s
   * against 1.0 GB/s piped (pieces of 64 KiB; larger ones did no better), and
   * above nginx's sendfile; a slow client holds one piece, 64 KiB.
   *
   * Synchronous reads for the reason SYNC_READ_MAX_BYTES gives. The cost, as
   * with nginx without `aio`: a read from a cold, slow disk stalls this
   * worker's other requests while it lasts; WEB_CONCURRENCY spreads that.
   */
  writeTo(destination: Writable): void {
    const buffer = Buffer.allocUnsafe(Math.min(this.chunkSize, this.end - this.position + 1));
    const next = (error?: Error | null): void => {
      if (error) {
        this.destroy();
        return;
      }
      if (this.destroyed) {
        return;
      }
      const length = Math.min(buffer.length, this.end - this.position + 1);
      if (length <= 0) {
        destination.end();
        // Ended, and closed: the descriptor is released.
        this.push(null);
        this.destroy();
        return;
      }
      let bytesRead: number;
      try {
        bytesRead = readSync(this.fd, buffer, 0, length, this.position);
      } catch (readError) {
        this.destroy(readError as Error);
        return;
      }
      if (bytesRead === 0) {
        this.destroy(new MediaChangedError('media file ended before the announced length'));
        return;
      }
      this.position += bytesRead;
      destination.write(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead), next);
    };
    next();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.reading) {
      this.onReadDone = () => callback(error);
    } else {
      callback(error);
    }
  }
}

/**
 * Ranges up to this size are read in one synchronous positional read, as
 * nginx does without aio: from the page cache that takes microseconds, while
 * an asynchronous read costs a hop to libuv's thread pool and back, which
 * profiles showed to dominate small-range requests (and which, on a server
 * pinned to one core, also means a context switch per read). Larger ranges
 * stream asynchronously so a cold disk never blocks the loop for long.
 */
export const SYNC_READ_MAX_BYTES = 64 * 1024;

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
