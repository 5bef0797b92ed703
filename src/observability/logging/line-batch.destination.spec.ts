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
    const destination = new LineBatchDestination(sink, 30, 100);
    for (let n = 0; n < 7; n++) destination.write(line(n));
    // Each line is 8 characters: the fourth fills 30, the next three wait.
    expect(sink.writes).toEqual([line(0) + line(1) + line(2) + line(3)]);
    jest.advanceTimersByTime(100);
    expect(sink.writes).toEqual([line(0) + line(1) + line(2) + line(3), line(4) + line(5) + line(6)]);
  });

  it('writes a lone line after flushMs, not before, and no empty batch after', () => {
    const sink = new RecordingSink();
    const destination = new LineBatchDestination(sink, 8192, 100);
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
    const destination = new LineBatchDestination(sink, 8192, 100);
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
});
