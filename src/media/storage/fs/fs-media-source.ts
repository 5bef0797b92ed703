import { Readable } from 'node:stream';
import { BUFFERED_BODY_MAX_BYTES, type MediaItem, type MediaSource } from '../media.repository.js';
import { FileRangeReadable } from './file-range.readable.js';
import type { OpenFile, OpenFileCache } from './open-file-cache.js';
import { readRangeSync, readSmallRange } from './sync-range-read.js';

/** One open file lent by the open-file cache, given back when its last reader closes. */
export class FileMediaSource implements MediaSource {
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
    const reader = end - start < BUFFERED_BODY_MAX_BYTES ? readSmallRange(fd, start, end) : new FileRangeReadable(fd, start, end, this.chunkSize);
    this.readers++;
    reader.once('close', () => {
      this.readers--;
      this.releaseWhenIdle();
    });
    return reader;
  }

  readBuffer(start: number, end: number): Promise<Buffer> {
    if (end - start >= BUFFERED_BODY_MAX_BYTES) {
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
