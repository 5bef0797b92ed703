import { jest } from '@jest/globals';
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { OpenFile, OpenFileCache } from './open-file-cache.js';

function fakeFile(): OpenFile & { closed: number } {
  const file = {
    closed: 0,
    stats: { size: 1 } as Stats,
    handle: {
      close: () => {
        file.closed++;
        return Promise.resolve();
      },
    } as unknown as FileHandle,
  };
  return file;
}

describe('OpenFileCache', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('opens once for concurrent misses and reuses the entry within the TTL', async () => {
    const cache = new OpenFileCache(1000, 10);
    const file = fakeFile();
    let opens = 0;
    const open = () => {
      opens++;
      return Promise.resolve(file);
    };
    const [a, b] = await Promise.all([cache.acquire('x', open), cache.acquire('x', open)]);
    const c = await cache.acquire('x', open);
    expect(opens).toBe(1);
    expect(a?.handle).toBe(file.handle);
    expect(b?.handle).toBe(file.handle);
    expect(c?.handle).toBe(file.handle);
    cache.release(a!);
    cache.release(b!);
    cache.release(c!);
    expect(file.closed).toBe(0);
  });

  it('closes an idle entry when its TTL runs out, and reopens on the next use', async () => {
    const cache = new OpenFileCache(1000, 10);
    const files = [fakeFile(), fakeFile()];
    let opens = 0;
    const open = () => Promise.resolve(files[opens++]);
    cache.release((await cache.acquire('x', open))!);
    jest.advanceTimersByTime(1000);
    expect(files[0].closed).toBe(1);
    expect(cache.size).toBe(0);
    const again = await cache.acquire('x', open);
    expect(again?.handle).toBe(files[1].handle);
  });

  it('keeps a descriptor a response still reads until that response releases it', async () => {
    const cache = new OpenFileCache(1000, 10);
    const file = fakeFile();
    const held = await cache.acquire('x', () => Promise.resolve(file));
    jest.advanceTimersByTime(1000);
    expect(file.closed).toBe(0);
    cache.release(held!);
    expect(file.closed).toBe(1);
  });

  it('holds at most maxEntries descriptors, dropping the oldest', async () => {
    const cache = new OpenFileCache(60_000, 2);
    const files = [fakeFile(), fakeFile(), fakeFile()];
    for (const [i, file] of files.entries()) {
      cache.release((await cache.acquire(`k${i}`, () => Promise.resolve(file)))!);
    }
    expect(cache.size).toBe(2);
    expect(files.map((f) => f.closed)).toEqual([1, 0, 0]);
  });

  it('with a TTL of 0 caches nothing and closes on release', async () => {
    const cache = new OpenFileCache(0, 10);
    const file = fakeFile();
    const held = await cache.acquire('x', () => Promise.resolve(file));
    expect(cache.size).toBe(0);
    cache.release(held!);
    expect(file.closed).toBe(1);
  });

  it('passes a miss (null) through without caching it', async () => {
    const cache = new OpenFileCache(1000, 10);
    expect(await cache.acquire('x', () => Promise.resolve(null))).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('clear() closes idle entries at once and busy ones on release', async () => {
    const cache = new OpenFileCache(60_000, 10);
    const idle = fakeFile();
    const busy = fakeFile();
    cache.release((await cache.acquire('idle', () => Promise.resolve(idle)))!);
    const held = await cache.acquire('busy', () => Promise.resolve(busy));
    cache.clear();
    expect(idle.closed).toBe(1);
    expect(busy.closed).toBe(0);
    cache.release(held!);
    expect(busy.closed).toBe(1);
  });
});
