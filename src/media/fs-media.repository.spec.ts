import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fdsOn } from '../../test/support/fds.js';
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
