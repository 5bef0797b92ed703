import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fdsOn } from '../../../../test/support/fds.js';
import { FileSystemMediaRepository } from './fs-media.repository.js';


describe('FileSystemMediaRepository: a source keeps its file until every reader has closed', () => {
  let root: string;
  let file: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'fs-repo-'));
    file = path.join(root, 'big.mp4');
    writeFileSync(file, Buffer.alloc(1024 * 1024, 7));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('does not close the descriptor under a reader that is still open', async () => {
    const repository = new FileSystemMediaRepository(root, { extensions: ['mp4'], chunkSize: 65536, openFileCacheMs: 0 });
    const source = await repository.open('big.mp4');
    expect(source).not.toBeNull();
    const reader = await source!.read(0, 1024 * 1024 - 1);
    reader.resume();
    await source!.close();
    // The response is done with the source, but this reader is mid-read.
    expect(fdsOn(file)).toBe(1);
    const closed = new Promise((resolve) => reader.once('close', resolve));
    reader.destroy();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fdsOn(file)).toBe(0);
  });

  it('closes at once when no reader was made (HEAD, 304, 412, 416)', async () => {
    const repository = new FileSystemMediaRepository(root, { extensions: ['mp4'], chunkSize: 65536, openFileCacheMs: 0 });
    const source = await repository.open('big.mp4');
    expect(fdsOn(file)).toBe(1);
    await source!.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fdsOn(file)).toBe(0);
  });
});

describe('FileSystemMediaRepository: the item of a cached descriptor', () => {
  let root: string;
  let file: string;
  let repository: FileSystemMediaRepository;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'fs-repo-item-'));
    file = path.join(root, 'clip.mp4');
    writeFileSync(file, Buffer.alloc(1000, 1));
    repository = new FileSystemMediaRepository(root, { extensions: ['mp4'], chunkSize: 65536, openFileCacheMs: 60_000 });
  });
  afterAll(() => {
    repository.onApplicationShutdown();
    rmSync(root, { recursive: true, force: true });
  });

  async function itemNow() {
    const source = await repository.open('clip.mp4');
    await source!.close();
    return source!.item;
  }

  it('is reused while size and modification time stay the same', async () => {
    const first = await itemNow();
    expect(await itemNow()).toBe(first);
  });

  it('is described afresh when the file is rewritten in place, even at the same size', async () => {
    const before = await itemNow();
    writeFileSync(file, Buffer.alloc(1000, 2));
    utimesSync(file, new Date('2031-02-03T04:05:06Z'), new Date('2031-02-03T04:05:06Z'));
    const sameSize = await itemNow();
    expect(sameSize).not.toBe(before);
    expect(sameSize.etag).not.toBe(before.etag);
    expect(sameSize.modifiedAt.toISOString()).toBe('2031-02-03T04:05:06.000Z');
    writeFileSync(file, Buffer.alloc(2000, 3));
    utimesSync(file, new Date('2031-02-03T04:05:06Z'), new Date('2031-02-03T04:05:06Z'));
    const bigger = await itemNow();
    expect(bigger.size).toBe(2000);
    expect(bigger.etag).not.toBe(sameSize.etag);
  });
});
