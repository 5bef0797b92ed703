import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { FakeProber } from './support/fake-prober.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

/**
 * The listing's parameters over real HTTP on files the test makes. The fake
 * prober gives chosen durations (null for some), so `sort=duration` can be
 * checked without ffprobe.
 */

// Sizes and dates chosen so that each sort has ties and differs from ID order.
// U+1F600 is above U+FFFF: in UTF-16 (the contract's order) it sorts before
// U+FF5E; in UTF-8 bytes (SQLite's BINARY collation) after it.
const FILES: Record<string, { size: number; mtime: number; duration: number | null }> = {
  'a.mp4': { size: 30, mtime: 1_700_000_300, duration: 12 },
  'B.mp4': { size: 10, mtime: 1_700_000_100, duration: null },
  'sub/c.mp3': { size: 20, mtime: 1_700_000_200, duration: 3 },
  'sub/a.mp3': { size: 20, mtime: 1_700_000_400, duration: 12 },
  '\u{1F600}.webm': { size: 5, mtime: 1_700_000_100, duration: null },
  '\uFF5E.mp4': { size: 40, mtime: 1_700_000_500, duration: 1.5 },
};
const ALL = Object.keys(FILES);

let root: string;
let t: TestApp;

beforeAll(async () => {
  root = await makeMediaRoot();
  await mkdir(path.join(root, 'sub'));
  for (const [id, file] of Object.entries(FILES)) {
    await writeFile(path.join(root, id), Buffer.alloc(file.size, 1));
    await utimes(path.join(root, id), file.mtime, file.mtime);
  }
  await writeFile(path.join(root, 'notes.txt'), 'not media');
  const prober = new FakeProber((id) => ({ durationSeconds: FILES[id]?.duration ?? null }));
  t = await startApp(root, {}, {}, { prober: prober });
  // The listing never waits for probes: wait here until every item is ready.
  for (let tries = 0; tries < 100; tries++) {
    const res = await request(t.baseUrl).get('/api/videos');
    if (res.body.items.every((item: { metadata: { status: string } }) => item.metadata.status === 'ready')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 30_000);

afterAll(async () => {
  await t.close();
  await removeRoot(root);
});

async function ids(query: string): Promise<{ ids: string[]; total: number }> {
  const res = await request(t.baseUrl).get(`/api/videos?${query}`).expect(200);
  return { ids: res.body.items.map((item: { id: string }) => item.id), total: res.body.total };
}

describe('GET /api/videos from the catalog', () => {
  it('orders by the whole ID in UTF-16 code unit order by default, non-BMP IDs included', async () => {
    const expected = ['B.mp4', 'a.mp4', 'sub/a.mp3', 'sub/c.mp3', '\u{1F600}.webm', '\uFF5E.mp4'];
    expect(await ids('')).toEqual({ ids: expected, total: 6 });
    expect(await ids('sort=id&order=asc')).toEqual({ ids: expected, total: 6 });
    expect(await ids('sort=id&order=desc')).toEqual({ ids: [...expected].reverse(), total: 6 });
  });

  it('sorts by size, ties by ID in both orders', async () => {
    expect((await ids('sort=size')).ids).toEqual(['\u{1F600}.webm', 'B.mp4', 'sub/a.mp3', 'sub/c.mp3', 'a.mp4', '\uFF5E.mp4']);
    expect((await ids('sort=size&order=desc')).ids).toEqual(['\uFF5E.mp4', 'a.mp4', 'sub/a.mp3', 'sub/c.mp3', 'B.mp4', '\u{1F600}.webm']);
  });

  it('sorts by name (the last segment, so a.mp3 before a.mp4 whatever the folder), ties by ID', async () => {
    expect((await ids('sort=name')).ids).toEqual(['B.mp4', 'sub/a.mp3', 'a.mp4', 'sub/c.mp3', '\u{1F600}.webm', '\uFF5E.mp4']);
    expect((await ids('sort=name&order=desc')).ids).toEqual(['\uFF5E.mp4', '\u{1F600}.webm', 'sub/c.mp3', 'a.mp4', 'sub/a.mp3', 'B.mp4']);
  });

  it('sorts by modifiedAt, ties by ID', async () => {
    expect((await ids('sort=modifiedAt')).ids).toEqual(['B.mp4', '\u{1F600}.webm', 'sub/c.mp3', 'a.mp4', 'sub/a.mp3', '\uFF5E.mp4']);
    expect((await ids('sort=modifiedAt&order=desc')).ids).toEqual(['\uFF5E.mp4', 'sub/a.mp3', 'a.mp4', 'sub/c.mp3', 'B.mp4', '\u{1F600}.webm']);
  });

  it('sorts by duration with unknown durations last in both orders, ties by ID', async () => {
    expect((await ids('sort=duration')).ids).toEqual(['\uFF5E.mp4', 'sub/c.mp3', 'a.mp4', 'sub/a.mp3', 'B.mp4', '\u{1F600}.webm']);
    expect((await ids('sort=duration&order=desc')).ids).toEqual(['a.mp4', 'sub/a.mp3', 'sub/c.mp3', '\uFF5E.mp4', 'B.mp4', '\u{1F600}.webm']);
  });

  it('filters by type (the top-level type of mimeType) and q, total counting matches before paging', async () => {
    expect(await ids('type=audio')).toEqual({ ids: ['sub/a.mp3', 'sub/c.mp3'], total: 2 });
    expect(await ids('type=video')).toEqual({ ids: ['B.mp4', 'a.mp4', '\u{1F600}.webm', '\uFF5E.mp4'], total: 4 });
    expect(await ids('q=A.MP')).toEqual({ ids: ['a.mp4', 'sub/a.mp3'], total: 2 });
    expect(await ids('q=a.mp&type=video')).toEqual({ ids: ['a.mp4'], total: 1 });
    expect(await ids(`q=${encodeURIComponent('\u{1F600}')}`)).toEqual({ ids: ['\u{1F600}.webm'], total: 1 });
    expect(await ids('q=mp4&sort=size&order=desc&limit=2&offset=1')).toEqual({ ids: ['a.mp4', 'B.mp4'], total: 3 });
    expect(await ids('type=audio&offset=5')).toEqual({ ids: [], total: 2 });
  });

  it('pages every sort with limit and offset as slices of the whole order', async () => {
    for (const sort of ['id', 'name', 'modifiedAt', 'size', 'duration']) {
      for (const order of ['asc', 'desc']) {
        const whole = (await ids(`sort=${sort}&order=${order}`)).ids;
        const pages = [...(await ids(`sort=${sort}&order=${order}&limit=4`)).ids, ...(await ids(`sort=${sort}&order=${order}&limit=4&offset=4`)).ids];
        expect(pages).toEqual(whole);
        expect(whole.sort()).toEqual([...ALL].sort());
      }
    }
  });

  it.each([
    ['sort=bogus', 'sort must be one of id, name, modifiedAt, size, duration'],
    ['sort=Size', 'sort must be one of id, name, modifiedAt, size, duration'],
    ['order=up', 'order must be one of asc, desc'],
    ['type=image', 'type must be one of video, audio'],
    ['type=video&type=audio', 'type must be one of video, audio'],
  ])('answers 400 JSON for %s', async (query, message) => {
    const res = await request(t.baseUrl).get(`/api/videos?${query}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: [message] });
  });

  it('shows the new Video fields: embedUrl, posterUrl, subtitles and metadata', async () => {
    const res = await request(t.baseUrl).get('/api/videos?q=%F0%9F%98%80').expect(200);
    const encoded = encodeURIComponent('\u{1F600}.webm');
    expect(res.body.items[0]).toMatchObject({
      embedUrl: `/embed/${encoded}`,
      posterUrl: `/api/videos/${encoded}/poster`,
      subtitles: [],
      metadata: { status: 'ready', durationSeconds: null, bitrate: 1000, video: { codec: 'h264', width: 320, height: 240, frameRate: 25 } },
    });
  });
});
