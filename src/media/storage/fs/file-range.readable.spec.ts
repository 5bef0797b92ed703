import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { FileRangeReadable } from './file-range.readable.js';
import { SEND_BYTES_PER_TURN } from './loop-turn-budget.js';
import { MediaChangedError } from '../media-errors.js';

const KiB = 1024;
const MiB = 1024 * KiB;

function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

/** A destination that keeps a copy of every chunk; `delay` makes it a slow client. */
class Recorder extends Writable {
  readonly chunks: Buffer[] = [];
  outstanding = 0;
  mostOutstanding = 0;
  /** Chunks whose bytes changed between write() and its callback: a buffer reused too early. */
  overwritten = 0;
  /** Bytes handed to _write, counted when they arrive rather than when the slow client is done with them. */
  received = 0;

  constructor(private readonly delay: (callback: () => void) => void = (callback) => callback()) {
    super({ highWaterMark: 1 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const copy = Buffer.from(chunk);
    this.received += chunk.length;
    this.outstanding++;
    this.mostOutstanding = Math.max(this.mostOutstanding, this.outstanding);
    this.delay(() => {
      if (!copy.equals(chunk)) this.overwritten++;
      this.chunks.push(copy);
      this.outstanding--;
      callback();
    });
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function settled(stream: FileRangeReadable, destination: Writable): Promise<{ error: Error | null; ended: boolean }> {
  return new Promise((resolve) => {
    let error: Error | null = null;
    stream.on('error', (e: Error) => (error = e));
    stream.on('close', () =>
      setImmediate(() => {
        // The last piece may still be on its way to a slow destination.
        if (destination.writableEnded && !destination.writableFinished) destination.once('finish', () => resolve({ error, ended: true }));
        else resolve({ error, ended: destination.writableEnded });
      }),
    );
  });
}

describe('FileRangeReadable.writeTo', () => {
  let folder: string;
  let file: string;
  let fd: number;
  const content = pattern(8 * MiB + 123);

  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'range-readable-'));
    file = path.join(folder, 'media.bin');
    writeFileSync(file, content);
    fd = openSync(file, 'r+');
  });

  afterEach(() => {
    closeSync(fd);
    rmSync(folder, { recursive: true, force: true });
  });

  it.each([
    ['whole file, synchronous pieces', 0, content.length - 1, 64 * KiB],
    ['a range inside, synchronous pieces', 1000, 3 * MiB + 17, 64 * KiB],
    ['exactly one piece', 5, 5 + 64 * KiB - 1, 64 * KiB],
    ['one piece and a byte', 5, 5 + 64 * KiB, 64 * KiB],
    ['one byte', 42, 42, 64 * KiB],
    ['the smallest pieces', 7, 300 * KiB, 4 * KiB],
    ['pieces read through the thread pool', 1, 5 * MiB, 1 * MiB],
  ])('sends exactly the bytes of %s, then ends and closes', async (_name, start, end, chunkSize) => {
    const stream = new FileRangeReadable(fd, start, end, chunkSize);
    const destination = new Recorder();
    const done = settled(stream, destination);
    stream.writeTo(destination);
    const outcome = await done;
    expect(outcome.error).toBeNull();
    expect(outcome.ended).toBe(true);
    expect(destination.bytes.equals(content.subarray(start, end + 1))).toBe(true);
  });

  it('hands the event loop back while a fast destination takes everything at once', async () => {
    // Every write completes at once here, and its callback comes on nextTick:
    // without yielding, the whole range would go before any other callback.
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const stream = new FileRangeReadable(fd, 0, content.length - 1, 64 * KiB);
    const destination = new Recorder();
    const done = settled(stream, destination);
    stream.writeTo(destination);
    await done;
    counting = false;
    // About one turn per MiB sent; a transfer that never yields gives one, at the end.
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it('shares one turn of the loop among many downloads instead of giving each a megabyte', async () => {
    // 8 fast downloads starting together: with a megabyte each before they
    // yield, 8 MiB would go before any other callback (a seek, a new viewer).
    const destinations = Array.from({ length: 8 }, () => new Recorder());
    const streams = destinations.map(() => new FileRangeReadable(fd, 0, content.length - 1, 64 * KiB));
    const done = Promise.all(streams.map((stream, i) => settled(stream, destinations[i])));
    streams.forEach((stream, i) => stream.writeTo(destinations[i]));
    const receivedByNextTurn = await new Promise<number>((resolve) =>
      setImmediate(() => resolve(destinations.reduce((sum, destination) => sum + destination.received, 0))),
    );
    await done;
    // This turn's budget and the next one's (the budget's own turn runs
    // first), plus the first piece of each download, which is never held.
    expect(receivedByNextTurn).toBeLessThanOrEqual(2 * SEND_BYTES_PER_TURN + 9 * 64 * KiB);
    for (const destination of destinations) expect(destination.bytes.equals(content)).toBe(true);
  });

  it('holds one piece for a slow destination and never reuses its buffer early', async () => {
    const stream = new FileRangeReadable(fd, 0, 2 * MiB - 1, 64 * KiB);
    const destination = new Recorder((callback) => setTimeout(callback, 1));
    const done = settled(stream, destination);
    stream.writeTo(destination);
    await done;
    expect(destination.mostOutstanding).toBe(1);
    expect(destination.overwritten).toBe(0);
    expect(destination.bytes.equals(content.subarray(0, 2 * MiB))).toBe(true);
  });

  it.each([64 * KiB, 1 * MiB])('fails with MediaChangedError, without ending, when the file shrinks (pieces of %i)', async (chunkSize) => {
    const stream = new FileRangeReadable(fd, 0, content.length - 1, chunkSize);
    let truncated = false;
    const destination = new Recorder((callback) => {
      if (!truncated) {
        truncated = true;
        ftruncateSync(fd, 3 * MiB);
      }
      callback();
    });
    const done = settled(stream, destination);
    stream.writeTo(destination);
    const outcome = await done;
    expect(outcome.error).toBeInstanceOf(MediaChangedError);
    expect(outcome.ended).toBe(false);
    expect(destination.bytes.equals(content.subarray(0, 3 * MiB))).toBe(true);
  });

  it('stops, and closes, when destroyed part-way', async () => {
    const stream = new FileRangeReadable(fd, 0, content.length - 1, 64 * KiB);
    const destination = new Recorder((callback) => setTimeout(callback, 1));
    const done = settled(stream, destination);
    stream.writeTo(destination);
    await new Promise((resolve) => setTimeout(resolve, 20));
    stream.destroy();
    const outcome = await done;
    // Counted on arrival: a piece handed over before the destroy may still be
    // in the slow client's hands (its callback pending) when 'close' fires.
    const sent = destination.received;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outcome.ended).toBe(false);
    expect(sent).toBeLessThan(content.length);
    expect(destination.received).toBe(sent);
  });

  it('stops, and closes, when the destination fails', async () => {
    const stream = new FileRangeReadable(fd, 0, content.length - 1, 64 * KiB);
    let writes = 0;
    const destination = new Writable({
      write(_chunk, _encoding, callback) {
        writes++;
        callback(writes === 3 ? new Error('client went away') : null);
      },
    });
    destination.on('error', () => undefined);
    const done = settled(stream, destination);
    stream.writeTo(destination);
    const outcome = await done;
    expect(outcome.error).toBeNull();
    expect(writes).toBe(3);
  });

  it('refuses to write a stream that is already being read', () => {
    const stream = new FileRangeReadable(fd, 0, 100, 64 * KiB);
    stream.on('data', () => undefined);
    expect(() => stream.writeTo(new Recorder())).toThrow('already being read');
    stream.destroy();
  });
});
