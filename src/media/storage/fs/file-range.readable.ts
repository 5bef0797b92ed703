import { read, readSync } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { MediaChangedError } from '../media-errors.js';
import { SYNC_READ_MAX_BYTES } from './sync-range-read.js';
import { sendBudget } from './loop-turn-budget.js';
import type { SelfWritingStream } from '../media.repository.js';

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
  private writing = false;

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
   * Sends the range to `destination` through one buffer of `chunkSize`,
   * reused: the next piece is read into it once the previous write has been
   * handed to the kernel. Measured with four fast clients: about 1.8 GB/s
   * against 1.0 GB/s piped, above nginx's sendfile; a slow client holds one
   * piece. Pieces up to SYNC_READ_MAX_BYTES are read synchronously (see there);
   * larger ones through the thread pool, so a large STREAM_CHUNK_SIZE never
   * blocks the loop for a long read.
   *
   * A fast reader's writes complete at once and their callbacks come on
   * process.nextTick, which runs before any I/O: the loop is handed back once
   * all downloads together have sent a turn's budget (see LoopTurnBudget), or
   * one download would hold up every other request of the worker for its
   * whole length (nginx's sendfile_max_chunk, for the same reason), and many
   * would hold up a new request for as long as they all take a megabyte each.
   *
   * Read failures are emitted as 'error'; a destination that fails (the client
   * went away) just stops it. Either way it closes, releasing the descriptor.
   */
  writeTo(destination: Writable): void {
    if (this.readableDidRead || this.readableFlowing !== null || this.writing) {
      throw new Error('writeTo() on a FileRangeReadable that is already being read');
    }
    this.writing = true;
    const buffer = Buffer.allocUnsafe(Math.min(this.chunkSize, this.end - this.position + 1));
    const synchronous = buffer.length <= SYNC_READ_MAX_BYTES;
    const send = (bytesRead: number): void => {
      if (bytesRead === 0) {
        this.destroy(new MediaChangedError('media file ended before the announced length'));
        return;
      }
      this.position += bytesRead;
      const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      if (this.position > this.end) {
        // The last piece: the descriptor is released now, not once the client has it.
        destination.end(chunk);
        this.push(null);
        this.destroy();
        return;
      }
      sendBudget.spend(bytesRead);
      destination.write(chunk, written);
    };
    const written = (error?: Error | null): void => {
      if (error) {
        this.destroy();
      } else if (sendBudget.exhausted) {
        sendBudget.defer(step);
      } else {
        step();
      }
    };
    const step = (): void => {
      if (this.destroyed) {
        return;
      }
      const length = Math.min(buffer.length, this.end - this.position + 1);
      if (length <= 0) {
        destination.end();
        this.push(null);
        this.destroy();
        return;
      }
      if (synchronous) {
        let bytesRead: number;
        try {
          bytesRead = readSync(this.fd, buffer, 0, length, this.position);
        } catch (error) {
          this.destroy(error as Error);
          return;
        }
        send(bytesRead);
        return;
      }
      this.reading = true;
      read(this.fd, buffer, 0, length, this.position, (error, bytesRead) => {
        this.reading = false;
        if (this.onReadDone !== null) this.onReadDone();
        else if (error !== null) this.destroy(error);
        else send(bytesRead);
      });
    };
    step();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.reading) {
      this.onReadDone = () => callback(error);
    } else {
      callback(error);
    }
  }
}
