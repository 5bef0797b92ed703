import { mkdir, rename, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fetchBytes, patternBytes } from './support/http.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

// Cases found in review: each failed before its fix.

describe('review regressions', () => {
  let t: TestApp;
  let outside: string;
  const clip = patternBytes(4000);
  const secret = Buffer.from('SECRET-OUTSIDE-THE-ROOT'.repeat(40));

  beforeAll(async () => {
    const root = await makeMediaRoot();
    outside = await makeMediaRoot();
    await writeFile(path.join(outside, 'secret.mp4'), secret);
    await writeFile(path.join(root, 'clip.mp4'), clip);
    await writeFile(path.join(root, 'empty.mp4'), '');
    await writeFile(path.join(root, 'future.mp4'), clip);
    await utimes(path.join(root, 'future.mp4'), new Date('2099-01-01T00:00:00Z'), new Date('2099-01-01T00:00:00Z'));
    await writeFile(path.join(root, 'back\\slash.mp4'), clip);
    await writeFile(path.join(root, 'new\nline.mp4'), clip);
    await writeFile(path.join(root, 'notes.txt'), 'not media');
    await symlink('notes.txt', path.join(root, 'notes-link.mp4'));
    await mkdir(path.join(root, 'race'));
    await writeFile(path.join(root, 'race', 'secret.mp4'), clip);
    // Without the open-file cache, so that a vanished root shows at once.
    t = await startApp(root, { OPEN_FILE_CACHE_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
    await removeRoot(t.root);
    await removeRoot(outside);
  });

  const get = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetchBytes(t.baseUrl, url, { headers, method });

  it('HEAD ignores an If-Modified-Since that is not an HTTP-date, as GET does', async () => {
    for (const date of ['2099-01-01', 'Thu, 1 Jan 2099 00:00:00 GMT']) {
      const head = await get('/api/videos/clip.mp4/stream', { 'If-Modified-Since': date }, 'HEAD');
      expect(head.status).toBe(200);
      const ranged = await get('/api/videos/clip.mp4/stream', { 'If-Modified-Since': date, Range: 'bytes=0-9' }, 'HEAD');
      expect(ranged.status).toBe(206);
      const empty = await get('/api/videos/empty.mp4/stream', { 'If-Modified-Since': date });
      expect(empty.status).toBe(200);
      expect(empty.headers['content-length']).toBe('0');
    }
  });

  it('never states a Last-Modified in the future', async () => {
    const res = await get('/api/videos/future.mp4/stream', {}, 'HEAD');
    const stated = Date.parse(String(res.headers['last-modified']));
    expect(stated).toBeLessThanOrEqual(Date.parse(String(res.headers.date)) + 1000);
    expect(stated).toBeLessThan(Date.parse('2098-01-01T00:00:00Z'));
  });

  it('lists no item whose ID the API would refuse', async () => {
    const res = await get('/api/videos?limit=500');
    const ids = (JSON.parse(res.body.toString('utf8')) as { items: Array<{ id: string }> }).items.map((item) => item.id);
    expect(ids).toContain('clip.mp4');
    expect(ids).not.toContain('back\\slash.mp4');
    expect(ids).not.toContain('new\nline.mp4');
  });

  it('does not serve a non-media file through a link with a media name', async () => {
    expect((await get('/api/videos/notes-link.mp4/stream')).status).toBe(404);
    const res = await get('/api/videos?limit=500');
    expect(res.body.toString('utf8')).not.toContain('notes-link.mp4');
  });

  it.each([
    ['412', { 'If-Match': '"other"' }],
    ['416', { Range: 'bytes=99999-' }],
  ])('a %s carries no ETag of its error body', async (_status, headers) => {
    const res = await get('/api/videos/clip.mp4/stream', headers);
    expect(res.headers.etag).toBeUndefined();
  });

  it('answers 503 on the item routes while MEDIA_ROOT is gone and serves again once it is back', async () => {
    const away = `${t.root}-away`;
    await rename(t.root, away);
    try {
      // The listing is the catalog's (what it last saw); the item routes ask storage.
      const listing = await get('/api/videos');
      expect(listing.status).toBe(200);
      expect(listing.body.toString('utf8')).not.toContain(t.root);
      const gone = await get('/api/videos/clip.mp4/stream');
      expect(gone.status).toBe(503);
      expect(gone.body.toString('utf8')).not.toContain(t.root);
    } finally {
      await rename(away, t.root);
    }
    // The root's real path is re-resolved at most every 5 s, and a failure is not kept.
    expect((await get('/api/videos')).status).toBe(200);
    const back = await get('/api/videos/clip.mp4/stream');
    expect(back.status).toBe(200);
    expect(back.body.equals(clip)).toBe(true);
  });

  it('never sends a file outside the root while a folder is swapped for a link to it', async () => {
    // race/ flips between a real folder and a link to a folder outside the
    // root; before the descriptor was checked after open, some GETs that
    // passed the realpath check opened the outside file.
    const real = path.join(t.root, 'race');
    const parked = path.join(t.root, 'race-real');
    const link = path.join(t.root, 'race-link');
    await symlink(outside, link);
    let swapping = true;
    const swapper = (async () => {
      while (swapping) {
        await rename(real, parked);
        await rename(link, real);
        await rename(real, link);
        await rename(parked, real);
      }
    })();
    const leaked: number[] = [];
    const deadline = Date.now() + 2500;
    try {
      while (Date.now() < deadline) {
        const answers = await Promise.all(
          Array.from({ length: 16 }, () => get('/api/videos/race%2Fsecret.mp4/stream')),
        );
        for (const answer of answers) {
          expect([200, 404]).toContain(answer.status);
          if (answer.body.includes('SECRET-OUTSIDE')) leaked.push(answer.status);
        }
      }
    } finally {
      swapping = false;
      await swapper;
    }
    expect(leaked).toEqual([]);
  }, 20_000);
});
