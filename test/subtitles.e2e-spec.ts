import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BytesResponse, expectBytes, fetchBytes, header } from './support/http.js';
import { startS3Backend } from './support/s3-backend.js';
import { DEFAULT_VTT, EN_VTT, FR_VTT, ITEM, PT_BR_VTT, SECRET_VTT, SUBTITLE_LIBRARY, subtitlePath } from './support/subtitle-files.js';
import { makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

interface Running {
  baseUrl: string;
  close(): Promise<void>;
}

async function startFs(): Promise<Running> {
  const root = await makeMediaRoot();
  for (const [id, bytes] of Object.entries(SUBTITLE_LIBRARY)) {
    await mkdir(path.dirname(path.join(root, id)), { recursive: true });
    await writeFile(path.join(root, id), bytes);
  }
  const app = await startApp(root, { CACHE_MAX_AGE: '1234' });
  const close = async (): Promise<void> => {
    await app.close();
    await removeRoot(root);
  };
  return { baseUrl: app.baseUrl, close };
}

async function startS3(): Promise<Running> {
  const backend = await startS3Backend(SUBTITLE_LIBRARY, { prefix: 'lib/', env: { CACHE_MAX_AGE: '1234' } });
  return { baseUrl: backend.baseUrl, close: () => backend.close() };
}

function expectJsonError(res: BytesResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(header(res, 'content-type')).toBe('application/json; charset=utf-8');
  const body = JSON.parse(res.body.toString()) as { statusCode: number; message: unknown };
  expect(body.statusCode).toBe(status);
  expect(res.body.toString()).not.toMatch(/\/tmp|s3rver|at .*\.ts/);
}

describe.each([
  ['the file system', startFs],
  ['S3 (s3rver)', startS3],
])('subtitles on %s', (_name, start) => {
  let t: Running;
  const get = (track: string, headers: Record<string, string> = {}, method = 'GET', id = ITEM) =>
    fetchBytes(t.baseUrl, subtitlePath(id, track), { method, headers });

  beforeAll(async () => {
    t = await start();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('serves a WebVTT file as is, byte-order mark and CRLF included, with validators and caching', async () => {
    const res = await get('default');
    expect(res.status).toBe(200);
    expect(header(res, 'content-type')).toBe('text/vtt; charset=utf-8');
    expectBytes(res.body, DEFAULT_VTT);
    expect(header(res, 'content-length')).toBe(String(DEFAULT_VTT.length));
    expect(header(res, 'etag')).toMatch(/^"[^"]+"$/);
    expect(Number.isNaN(Date.parse(header(res, 'last-modified') ?? ''))).toBe(false);
    expect(header(res, 'cache-control')).toBe('public, max-age=1234');
  });

  it.each([
    ['en', EN_VTT],
    ['pt-BR', PT_BR_VTT],
    ['PT-br', PT_BR_VTT],
  ])('converts the SubRip track %s to WebVTT byte for byte', async (track, expected) => {
    const res = await get(track);
    expect(res.status).toBe(200);
    expect(header(res, 'content-type')).toBe('text/vtt; charset=utf-8');
    expectBytes(res.body, expected);
    expect(header(res, 'content-length')).toBe(String(expected.length));
  });

  it('prefers the WebVTT file when a track has both forms', async () => {
    expectBytes((await get('fr')).body, FR_VTT);
  });

  it.each(['default', 'en'])('answers HEAD of %s as GET without a body, same Content-Length', async (track) => {
    const full = await get(track);
    const head = await get(track, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['content-type', 'content-length', 'etag', 'last-modified', 'cache-control']) {
      expect(header(head, name)).toBe(header(full, name));
    }
  });

  it.each(['default', 'en'])('answers If-None-Match and If-Modified-Since of %s with 304, If-Match with 412', async (track) => {
    const full = await get(track);
    const etag = header(full, 'etag') ?? '';
    const notModified = await get(track, { 'If-None-Match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(header(notModified, 'etag')).toBe(etag);
    expect((await get(track, { 'If-Modified-Since': header(full, 'last-modified') ?? '' })).status).toBe(304);
    expect((await get(track, { 'If-None-Match': '"other"' })).status).toBe(200);
    expectJsonError(await get(track, { 'If-Match': '"other"' }), 412);
  });

  it('gives a converted track an ETag of its own, never the file one', async () => {
    const etags = new Set([header(await get('default'), 'etag'), header(await get('en'), 'etag'), header(await get('pt-BR'), 'etag')]);
    expect(etags.size).toBe(3);
  });

  it('answers 404 JSON for an unknown track, a dotfile track, a track of another item and a missing item', async () => {
    for (const track of ['de', 'it', 'ko']) {
      const res = await get(track);
      expectJsonError(res, 404);
      expect(res.body.includes('TOP-SECRET')).toBe(false);
    }
    expectJsonError(await get('en', {}, 'GET', 'show/missing.mp4'), 404);
    expectJsonError(await get('default', {}, 'GET', 'show/.clip.mp4'), 404);
  });

  it('answers 400 JSON for a malformed ID or track, and 405 for other methods', async () => {
    expectJsonError(await fetchBytes(t.baseUrl, `/api/videos/${encodeURIComponent('../show/clip.mp4')}/subtitles/en`), 400);
    expectJsonError(await get('en_US'), 400);
    expectJsonError(await get('a'.repeat(65)), 400);
    expectJsonError(await fetchBytes(t.baseUrl, `/api/videos/x.mp4/subtitles/${encodeURIComponent('../../etc')}`), 400);
    const post = await fetchBytes(t.baseUrl, subtitlePath(ITEM, 'en'), { method: 'POST' });
    expectJsonError(post, 405);
    expect(header(post, 'allow')).toBe('GET, HEAD');
  });

  it('never lists sidecars as items nor streams them', async () => {
    const list = JSON.parse((await fetchBytes(t.baseUrl, '/api/videos?limit=500')).body.toString()) as { items: { id: string }[] };
    expect(list.items.map((item) => item.id)).toEqual([ITEM]);
    for (const id of ['show/clip.vtt', 'show/clip.en.srt', 'show/.clip.it.vtt']) {
      expectJsonError(await fetchBytes(t.baseUrl, `/api/videos/${encodeURIComponent(id)}/stream`), 404);
      expectJsonError(await fetchBytes(t.baseUrl, `/api/videos/${encodeURIComponent(id)}`), 404);
    }
  });

  it('does not answer the dotfile, even by a URL that names it', async () => {
    const res = await fetchBytes(t.baseUrl, `/api/videos/${encodeURIComponent('show/.clip.it.mp4')}/subtitles/default`);
    expectJsonError(res, 404);
    expect(res.body.includes(SECRET_VTT)).toBe(false);
  });
});
