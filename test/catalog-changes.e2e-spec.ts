import { rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { fetchBytes, patternBytes } from './support/http.js';
import { FakeProber, idleProber } from './support/fake-prober.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

/**
 * The catalog follows storage: rescans (CATALOG_RESCAN_SECONDS=1), watching
 * (with a rescan period far beyond the test's wait), restarts that keep
 * probes, and the item routes that ask storage, not the catalog.
 */

interface Listed {
  id: string;
  size: number;
  etag: string;
  metadata: { status: string };
}

async function listed(t: TestApp): Promise<Listed[]> {
  return (await request(t.baseUrl).get('/api/videos?limit=500').expect(200)).body.items;
}

/** Polls the listing until `check` holds; the deadline is far beyond the period under test, never a threshold. */
async function eventually(t: TestApp, check: (items: Listed[]) => boolean): Promise<Listed[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const items = await listed(t);
    if (check(items)) return items;
    if (Date.now() > deadline) throw new Error(`the listing never matched: ${JSON.stringify(items.map((item) => item.id))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ids = (items: Listed[]): string[] => items.map((item) => item.id);

let root: string;
beforeEach(async () => {
  root = await makeMediaRoot();
});
afterEach(async () => {
  await removeRoot(root);
});

describe('the catalog follows storage', () => {
  it.each([
    ['by rescanning every CATALOG_RESCAN_SECONDS', '1'],
    ['by watching the file system, long before the next rescan', '86400'],
  ])('shows a file added, changed and removed %s', async (_how, seconds) => {
    await writeFile(path.join(root, 'old.mp4'), patternBytes(100));
    const prober = new FakeProber();
    const t = await startApp(root, { CATALOG_RESCAN_SECONDS: seconds }, {}, { prober: prober });
    try {
      expect(ids(await listed(t))).toEqual(['old.mp4']);
      await writeFile(path.join(root, 'new.mp4'), patternBytes(200));
      await eventually(t, (items) => ids(items).includes('new.mp4'));
      await writeFile(path.join(root, 'old.mp4'), patternBytes(300));
      const changed = await eventually(t, (items) => items.find((item) => item.id === 'old.mp4')?.size === 300);
      await rm(path.join(root, 'new.mp4'));
      await eventually(t, (items) => ids(items).join() === 'old.mp4');
      // The changed file was probed again, for its new ETag.
      await eventually(t, (items) => items[0].metadata.status === 'ready');
      expect(prober.calls.filter((call) => call.id === 'old.mp4').map((call) => call.etag)).toContain(changed.find((item) => item.id === 'old.mp4')?.etag);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('streams a new file before it is listed and 404s a deleted one before the catalog notices', async () => {
    await writeFile(path.join(root, 'here.mp4'), patternBytes(10));
    const t = await startApp(root, { CATALOG_RESCAN_SECONDS: '86400' });
    try {
      const bytes = patternBytes(5000, 3);
      await writeFile(path.join(root, 'fresh.mp4'), bytes);
      const res = await fetchBytes(t.baseUrl, '/api/videos/fresh.mp4/stream');
      expect(res.status).toBe(200);
      expect(res.body.equals(bytes)).toBe(true);
      await request(t.baseUrl).get('/api/videos/fresh.mp4').expect(200);
      await rm(path.join(root, 'here.mp4'));
      expect((await fetchBytes(t.baseUrl, '/api/videos/here.mp4/stream')).status).toBe(404);
      await request(t.baseUrl).get('/api/videos/here.mp4').expect(404);
    } finally {
      await t.close();
    }
  });

  it('keeps ready items across a restart without probing them again; a changed ETag is probed again', async () => {
    await writeFile(path.join(root, 'a.mp4'), patternBytes(10));
    await writeFile(path.join(root, 'b.mp4'), patternBytes(20));
    const env = { DATA_DIR: path.join(root, '.data'), CATALOG_RESCAN_SECONDS: '1' };
    const first = new FakeProber();
    let t = await startApp(root, env, {}, { prober: first });
    await eventually(t, (items) => items.length === 2 && items.every((item) => item.metadata.status === 'ready'));
    await t.close();
    expect(first.calls.length).toBe(2);

    await utimes(path.join(root, 'b.mp4'), 1_700_000_000, 1_700_000_000);
    const second = new FakeProber(undefined, 200);
    t = await startApp(root, env, {}, { prober: second });
    try {
      // Ready at once, before any probe of this run could have ended.
      const now = await listed(t);
      expect(now.find((item) => item.id === 'a.mp4')?.metadata.status).toBe('ready');
      await eventually(t, (items) => items.every((item) => item.metadata.status === 'ready'));
      expect(second.calls.map((call) => call.id)).toEqual(['b.mp4']);
    } finally {
      await t.close();
    }
  }, 30_000);

  it('GET /api/videos/:id waits for a pending probe; the listing does not', async () => {
    const prober = new FakeProber(() => ({ durationSeconds: 7 }), 500);
    const t = await startApp(root, { CATALOG_RESCAN_SECONDS: '86400' }, {}, { prober: prober });
    try {
      await writeFile(path.join(root, 'slow.mp4'), patternBytes(10));
      const res = await request(t.baseUrl).get('/api/videos/slow.mp4').expect(200);
      expect(res.body.metadata).toMatchObject({ status: 'ready', durationSeconds: 7 });
      expect(prober.callsFor('slow.mp4')).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('answers metadata unavailable when no ffprobe can run, and lists subtitles and posters from sidecars', async () => {
    for (const name of ['clip.mp4', 'clip.en.vtt', 'clip.vtt', 'clip.pt-BR.srt', 'clip.jpg', '.clip.fr.vtt', 'other.mp3']) {
      await writeFile(path.join(root, name), 'x');
    }
    // The prober's answer when no ffprobe is found (derive-shipped tests the real lookup).
    const t = await startApp(root, {}, {}, { prober: idleProber });
    try {
      const items = (await request(t.baseUrl).get('/api/videos').expect(200)).body.items;
      expect(items.map((item: Listed) => item.id)).toEqual(['clip.mp4', 'other.mp3']);
      expect(items[0].metadata).toEqual({ status: 'unavailable', durationSeconds: null, bitrate: null, video: null, audio: null });
      expect(items[0].posterUrl).toBe('/api/videos/clip.mp4/poster');
      expect(items[0].subtitles).toEqual([
        { track: 'default', language: null, label: 'Subtitles', url: '/api/videos/clip.mp4/subtitles/default' },
        { track: 'en', language: 'en', label: 'English', url: '/api/videos/clip.mp4/subtitles/en' },
        { track: 'pt-BR', language: 'pt-BR', label: 'Brazilian Portuguese', url: '/api/videos/clip.mp4/subtitles/pt-BR' },
      ]);
      expect(items[1].subtitles).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('answers posterUrl null once an item is known to have no poster', async () => {
    for (const name of ['song.mp3', 'art.mp3', 'bad.mp4', 'bad.webp']) await writeFile(path.join(root, name), 'x');
    const prober = new FakeProber((id) => ({ durationSeconds: 1, audioOnly: true, hasCoverArt: id === 'art.mp3', failed: id.startsWith('bad') }));
    const t = await startApp(root, {}, {}, { prober: prober });
    try {
      const items = await eventually(t, (all) => all.every((item) => item.metadata.status !== 'pending'));
      const posters = Object.fromEntries(items.map((item) => [item.id, (item as Listed & { posterUrl: string | null }).posterUrl]));
      expect(posters).toEqual({ 'art.mp3': '/api/videos/art.mp3/poster', 'bad.mp4': '/api/videos/bad.mp4/poster', 'song.mp3': null });
    } finally {
      await t.close();
    }
  });
});
