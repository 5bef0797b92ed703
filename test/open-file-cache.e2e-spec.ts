import { mkdir, open, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { countFds, fdsUnder, sleep } from './support/fds.js';
import { fetchBytes, patternBytes } from './support/http.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';
import { idleProber } from './support/fake-prober.js';

const TTL_MS = 400;



describe('open-file cache (OPEN_FILE_CACHE_MS)', () => {
  let t: TestApp;
  const first = patternBytes(50_000, 1);
  const second = patternBytes(70_000, 2);

  beforeAll(async () => {
    const root = await makeMediaRoot();
    await writeFile(path.join(root, 'clip.mp4'), first);
    await writeFile(path.join(root, 'gone.mp4'), first);
    t = await startApp(root, { OPEN_FILE_CACHE_MS: String(TTL_MS) }, {}, { prober: idleProber });
  });
  afterAll(async () => {
    await t.close();
    await removeRoot(t.root);
  });

  const get = (id: string, headers: Record<string, string> = {}) => fetchBytes(t.baseUrl, `/api/videos/${id}/stream`, { headers });

  it('shares one descriptor between concurrent requests and closes it after the TTL', async () => {
    const file = path.join(t.root, 'clip.mp4');
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => get('clip.mp4', { Range: `bytes=${i * 1000}-${i * 1000 + 999}` })),
    );
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(206);
      expect(answer.body.equals(first.subarray(i * 1000, i * 1000 + 1000))).toBe(true);
    });
    expect(fdsUnder(file)).toBeLessThanOrEqual(1);
    const deadline = Date.now() + TTL_MS + 3000;
    while (fdsUnder(file) > 0 && Date.now() < deadline) await sleep(25);
    expect(fdsUnder(file)).toBe(0);
  });

  it('never mixes versions of a file replaced within the TTL, and serves the new one after it', async () => {
    const before = await get('clip.mp4');
    expect(before.body.equals(first)).toBe(true);
    const staged = path.join(t.root, '.staged.mp4');
    await writeFile(staged, second);
    await rename(staged, path.join(t.root, 'clip.mp4'));

    // Within the TTL: the old descriptor, with its own size and ETag, or the new file; never a mix.
    const soon = await get('clip.mp4');
    const versions = [
      { bytes: first, etag: before.headers.etag },
      { bytes: second, etag: undefined },
    ];
    expect(Number(soon.headers['content-length'])).toBe(soon.body.length);
    expect(versions.some((v) => soon.body.equals(v.bytes))).toBe(true);
    if (soon.body.equals(first)) expect(soon.headers.etag).toBe(before.headers.etag);

    await sleep(TTL_MS + 100);
    const after = await get('clip.mp4');
    expect(after.body.equals(second)).toBe(true);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('lets go of a deleted file after the TTL', async () => {
    expect((await get('gone.mp4')).status).toBe(200);
    await rm(path.join(t.root, 'gone.mp4'));
    await sleep(TTL_MS + 100);
    expect((await get('gone.mp4')).status).toBe(404);
    // A deleted file held open would keep its disk space.
    expect(countFds((target) => target.includes('gone.mp4'))).toBe(0);
  });

  it('sees new files once the listing TTL has passed', async () => {
    const list = async (): Promise<string[]> => {
      const res = await fetchBytes(t.baseUrl, '/api/videos?limit=500');
      return (JSON.parse(res.body.toString('utf8')) as { items: Array<{ id: string }> }).items.map((item) => item.id);
    };
    expect(await list()).not.toContain('late.mp4');
    await writeFile(path.join(t.root, 'late.mp4'), first);
    await sleep(TTL_MS + 100);
    expect(await list()).toContain('late.mp4');
  });

  it('lists a folder of 3,000 files with a bounded number of descriptors, keeping none open', async () => {
    const folder = path.join(t.root, 'many');
    await mkdir(folder);
    for (let i = 0; i < 3000; i++) await writeFile(path.join(folder, `f${i}.mp4`), 'x');
    await sleep(TTL_MS + 100);
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, fdsUnder(folder));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    })();
    // The catalog's scan (stat only) finds them; sampled until the listing shows them all.
    let total = 0;
    try {
      for (let tries = 0; tries < 600 && total !== 3000; tries++) {
        const res = await fetchBytes(t.baseUrl, '/api/videos?q=many%2F&limit=10');
        expect(res.status).toBe(200);
        total = (JSON.parse(res.body.toString('utf8')) as { total: number }).total;
        if (total !== 3000) await sleep(50);
      }
    } finally {
      sampling = false;
      await sampler;
    }
    expect(total).toBe(3000);
    expect(peak).toBeLessThanOrEqual(16);
    expect(fdsUnder(folder)).toBe(0);
  }, 30_000);

  it('describes a file rewritten in place at once, without waiting for the TTL', async () => {
    const file = path.join(t.root, 'inplace.mp4');
    await writeFile(file, first);
    const before = await get('inplace.mp4', { Range: 'bytes=0-9' });
    expect(before.status).toBe(206);
    // Same inode, new bytes and a new modification time: what cp over an
    // existing file or an editor saving in place does.
    const handle = await open(file, 'r+');
    await handle.write(Buffer.from('XXXXXXXXXX'), 0, 10, 0);
    await handle.truncate(30_000);
    await handle.close();
    await utimes(file, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));

    const resumed = await get('inplace.mp4', { Range: 'bytes=0-9', 'If-Range': String(before.headers.etag) });
    expect(resumed.status).toBe(200);
    expect(resumed.headers.etag).not.toBe(before.headers.etag);
    expect(resumed.headers['content-length']).toBe('30000');
    expect(resumed.body.subarray(0, 10).toString()).toBe('XXXXXXXXXX');
    // Ranges are judged against the new size, not the cached one.
    expect((await get('inplace.mp4', { Range: 'bytes=40000-40009' })).status).toBe(416);
  });
});
