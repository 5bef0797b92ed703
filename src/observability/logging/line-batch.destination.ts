import type { DestinationStream } from 'pino';

/** What the batches are handed to: pino.destination()'s sonic-boom. */
export interface LineSink {
  write(text: string): boolean;
  flush(callback?: (error?: Error | null) => void): void;
  flushSync(): void;
}

const live = new Set<WeakRef<LineBatchDestination>>();
let exitHooked = false;

/** On exit there is no loop left to wait for a batch: each goes out synchronously. */
function flushAllOnExit(): void {
  for (const ref of live) {
    try {
      ref.deref()?.flushSync();
    } catch {
      // stdout gone or not ready: nothing left to write to
    }
  }
}

/**
 * Gathers log lines into batches of about `batch.size` (or what `flushMs` has
 * gathered) and hands each batch to the sink as one string.
 *
 * Hand-written because sonic-boom batches by appending each line to its last
 * string and measuring that string's UTF-8 length again on every write: with
 * a batch of 8 KiB the cost grows with the batch, 1.6-2.0 µs a line against
 * 0.5 µs with 2 KiB batches (measured on this machine); smaller batches would
 * mean a write(2) every few lines. An array of lines joined once per batch
 * costs a push a line, and sonic-boom still does the writing, its
 * backpressure, EPIPE and exit handling.
 */
export class LineBatchDestination implements DestinationStream {
  private lines: string[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | null = null;

  /**
   * `batch.size` is counted in characters, or with `exact` in UTF-8 bytes and
   * never exceeded by a batch of more than one line: writes of at most
   * PIPE_BUF bytes to a pipe are atomic, so workers sharing one stdout pipe
   * never interleave their lines.
   */
  constructor(
    private readonly sink: LineSink,
    private readonly batch: { size: number; exact: boolean },
    private readonly flushMs: number,
  ) {
    for (const ref of live) if (ref.deref() === undefined) live.delete(ref);
    live.add(new WeakRef(this));
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', flushAllOnExit);
    }
  }

  write(line: string): void {
    const size = this.batch.exact ? Buffer.byteLength(line, 'utf8') : line.length;
    if (this.batch.exact && this.size + size > this.batch.size) this.forward();
    this.lines.push(line);
    this.size += size;
    if (this.size >= this.batch.size) {
      this.forward();
    } else if (this.timer === null) {
      this.timer = setTimeout(this.forward, this.flushMs);
      this.timer.unref();
    }
  }

  /** Hands over what is gathered, then calls back once the sink has written everything. */
  flush(callback?: (error?: Error | null) => void): void {
    this.forward();
    this.sink.flush(callback);
  }

  flushSync(): void {
    this.forward();
    this.sink.flushSync();
  }

  private readonly forward = (): void => {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.lines.length === 0) return;
    const text = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
    this.lines = [];
    this.size = 0;
    this.sink.write(text);
  };
}
