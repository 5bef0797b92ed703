import { jest } from '@jest/globals';
import { LineBatchDestination, type LineSink } from './line-batch.destination.js';

class RecordingSink implements LineSink {
  readonly writes: string[] = [];
  flushes = 0;
  syncFlushes = 0;

  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }

  flush(callback?: (error?: Error | null) => void): void {
    this.flushes++;
    callback?.();
  }

  flushSync(): void {
    this.syncFlushes++;
  }
}

const line = (n: number): string => `{"n":${n}}\n`;

describe('LineBatchDestination', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands lines over in one string once a batch is full, in order', () => {
    const sink = new RecordingSink();
    const destination = new LineBatchDestination(sink, { size: 30, exact: false }, 100);
    for (let n = 0; n < 7; n++) destination.write(line(n));
    // Each line is 8 characters: the fourth fills 30, the next three wait.
    expect(sink.writes).toEqual([line(0) + line(1) + line(2) + line(3)]);
    jest.advanceTimersByTime(100);
    expect(sink.writes).toEqual([line(0) + line(1) + line(2) + line(3), line(4) + line(5) + line(6)]);
  });

  it('writes a lone line after flushMs, not before, and no empty batch after', () => {
    const sink = new RecordingSink();
    const destination = new LineBatchDestination(sink, { size: 8192, exact: false }, 100);
    destination.write(line(1));
    jest.advanceTimersByTime(99);
    expect(sink.writes).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(sink.writes).toEqual([line(1)]);
    jest.advanceTimersByTime(1000);
    expect(sink.writes).toEqual([line(1)]);
  });

  it('flush and flushSync hand over what is gathered before the sink flushes', () => {
    const sink = new RecordingSink();
    const destination = new LineBatchDestination(sink, { size: 8192, exact: false }, 100);
    destination.write(line(1));
    const callback = jest.fn();
    destination.flush(callback);
    expect(sink.writes).toEqual([line(1)]);
    expect(sink.flushes).toBe(1);
    expect(callback).toHaveBeenCalledTimes(1);
    destination.write(line(2));
    destination.flushSync();
    expect(sink.writes).toEqual([line(1), line(2)]);
    expect(sink.syncFlushes).toBe(1);
  });

  it('exact: never hands over more bytes than the size in one batch of several lines', () => {
    const sink = new RecordingSink();
    const destination = new LineBatchDestination(sink, { size: 4096, exact: true }, 100);
    // 1,000 characters, 1,998 bytes of UTF-8 (é is two bytes): two lines make a batch.
    const wide = `{"m":"${'é'.repeat(994)}"}\n`;
    const lines = [line(0), wide, wide, wide, line(1), 'x'.repeat(5000) + '\n', line(2)];
    for (const text of lines) destination.write(text);
    destination.flushSync();
    expect(sink.writes.join('')).toBe(lines.join(''));
    for (const batch of sink.writes) {
      const several = batch.split('\n').length - 1 > 1;
      if (several) expect(Buffer.byteLength(batch, 'utf8')).toBeLessThanOrEqual(4096);
    }
    // The 5,000-byte line cannot be cut: it goes alone.
    expect(sink.writes).toContain('x'.repeat(5000) + '\n');
  });
});
