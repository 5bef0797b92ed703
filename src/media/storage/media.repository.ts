import { Readable, type Writable } from 'node:stream';

/**
 * The largest single range that MediaSource.readBuffer is asked for. Part of
 * that method's promise, so it lives beside the interface: a backend sizes
 * its cheap reads to it, and delivery buffers only ranges below it.
 */
export const BUFFERED_BODY_MAX_BYTES = 64 * 1024;

/**
 * One servable item, as storage describes it. Read-only: the file system
 * backend hands the same object to every request while the file is unchanged.
 */
export interface MediaItem {
  /** Path relative to the media root with `/` between folders. */
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly modifiedAt: Date;
  /** A strong entity tag with its quotes. */
  readonly etag: string;
  readonly mimeType: string;
}

/**
 * An item held open for reading: every range is read from the same version
 * of the item that `item` describes, even if storage changes meanwhile.
 */
export interface MediaSource {
  readonly item: MediaItem;
  /**
   * Streams bytes `start` to `end` inclusive, respecting backpressure. Resolves
   * once the bytes are on their way, so that a failure to start (the item
   * vanished or changed) can still be answered with a status code; rejects
   * then with MediaChangedError or MediaStorageUnavailableError.
   */
  read(start: number, end: number): Promise<Readable>;
  /**
   * Optional: bytes `start` to `end` inclusive in one buffer, for ranges of at
   * most BUFFERED_BODY_MAX_BYTES. A backend that can read those cheaply at
   * once (a file system) saves the whole stream machinery on small ranges.
   */
  readBuffer?(start: number, end: number): Promise<Buffer>;
  /** Releases the item; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * The only code that touches storage. IDs given to it are well-formed (see
 * media-id.ts); it answers null for anything that is not servable media, and
 * throws MediaStorageUnavailableError when storage cannot answer.
 */
export interface MediaRepository {
  list(): Promise<MediaItem[]>;
  find(id: string): Promise<MediaItem | null>;
  open(id: string): Promise<MediaSource | null>;
  /** Resolves when storage can be read; rejects with a reason otherwise. */
  ping(): Promise<void>;
}

export const MEDIA_REPOSITORY = Symbol('MEDIA_REPOSITORY');

/**
 * A stream that read() may return which can also write itself: it sends its
 * bytes to `destination` reusing one buffer, where pipe() allocates a new one
 * per chunk (at 1 GB/s, thousands of buffers a second for the collector), and
 * ends `destination`. It must not have been read from. Read failures are
 * emitted as 'error'; a destination that fails just stops it; destroying the
 * stream stops it too. It closes when done, either way.
 */
export interface SelfWritingStream extends Readable {
  writeTo(destination: Writable): void;
}

export function isSelfWriting(stream: Readable): stream is SelfWritingStream {
  return typeof (stream as Partial<SelfWritingStream>).writeTo === 'function';
}
