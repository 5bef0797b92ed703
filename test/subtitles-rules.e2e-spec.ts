import { createHmac } from 'node:crypto';
import { mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BytesResponse, expectBytes, fetchBytes, header } from './support/http.js';
import { CLIP_MP4, EN_SRT, EN_VTT, ITEM, SECRET_VTT, subtitlePath } from './support/subtitle-files.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

const KEY = 'subtitle-signing-key-0123456789abcdefgh';
const SIGNED_ENV = { ACCESS_MODE: 'signed', SIGNING_KEYS: KEY, API_KEYS: 'api-key-0123456789abcdefghij', CACHE_MAX_AGE: '3600' };
const now = (): number => Math.floor(Date.now() / 1000);

function signedQuery(id: string, expires = now() + 600): string {
  return `expires=${expires}&signature=${createHmac('sha256', KEY).update(`${id}\n${expires}`, 'utf8').digest('base64url')}`;
}

function expect404Json(res: BytesResponse): void {
  expect(res.status).toBe(404);
  expect(header(res, 'content-type')).toBe('application/json; charset=utf-8');
  expect(res.body.includes('TOP-SECRET')).toBe(false);
}

let base: string;
let root: string;
beforeAll(async () => {
  base = await makeMediaRoot();
  root = path.join(base, 'media');
  await mkdir(path.join(root, 'show'), { recursive: true });
  await mkdir(path.join(root, 'other'));
  await writeFile(path.join(root, ITEM), CLIP_MP4);
  await writeFile(path.join(root, 'show', 'clip.en.srt'), EN_SRT);
  await writeFile(path.join(root, 'other', 'shared.vtt'), Buffer.from('WEBVTT\n\nshared\n'));
  await writeFile(path.join(base, 'secret.vtt'), SECRET_VTT);
  await symlink(path.join(base, 'secret.vtt'), path.join(root, 'show', 'clip.de.vtt'));
  await symlink(path.join(root, ITEM), path.join(root, 'show', 'clip.es.vtt'));
  await symlink(path.join(root, 'show', 'gone.vtt'), path.join(root, 'show', 'clip.it.vtt'));
  await symlink(path.join(root, 'other', 'shared.vtt'), path.join(root, 'show', 'clip.nl.vtt'));
  await writeFile(path.join(root, 'show', '.clip.fr.vtt'), SECRET_VTT);
});
afterAll(async () => {
  await removeRoot(base);
});

describe('subtitle files on the file system', () => {
  let t: TestApp;
  const get = (track: string, headers: Record<string, string> = {}) => fetchBytes(t.baseUrl, subtitlePath(ITEM, track), { headers });

  beforeAll(async () => {
    t = await startApp(root);
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves a link to a sidecar inside the root, under the link name', async () => {
    const res = await get('nl');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('WEBVTT\n\nshared\n');
  });

  it.each([
    ['a link out of the root', 'de'],
    ['a link to the media file, named .vtt', 'es'],
    ['a dangling link', 'it'],
    ['a dotfile', 'fr'],
  ])('answers 404 for %s', async (_, track) => {
    const res = await get(track);
    expect404Json(res);
    expect(res.body.includes(CLIP_MP4.subarray(0, 64))).toBe(false);
  });

  it('asks storage on every request: a changed file gets a new ETag and body, a deleted one 404', async () => {
    const file = path.join(root, 'show', 'clip.pt.srt');
    await writeFile(file, Buffer.from('1\n00:00:00,000 --> 00:00:01,000\nOi\n'));
    await utimes(file, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const first = await get('pt');
    expect(first.body.toString()).toBe('WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nOi\n');
    await writeFile(file, Buffer.from('1\n00:00:00,000 --> 00:00:01,000\nOla\n'));
    const second = await get('pt', { 'If-None-Match': header(first, 'etag') ?? '' });
    expect(second.status).toBe(200);
    expect(header(second, 'etag')).not.toBe(header(first, 'etag'));
    expect(second.body.toString()).toBe('WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nOla\n');
    await rm(file);
    expect404Json(await get('pt'));
  });

  it('answers 404 JSON for a track file over 8 MiB, on HEAD too, and serves it again once smaller', async () => {
    const file = path.join(root, 'show', 'clip.ja.srt');
    await writeFile(file, Buffer.alloc(8 * 1024 * 1024 + 1, 0x41));
    const res = await get('ja');
    expect404Json(res);
    expect(JSON.parse(res.body.toString()).message).toContain('larger than');
    expect((await fetchBytes(t.baseUrl, subtitlePath(ITEM, 'ja'), { method: 'HEAD' })).status).toBe(404);
    await writeFile(file, EN_SRT);
    expectBytes((await get('ja')).body, EN_VTT);
  });
});

describe('subtitles in signed mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(root, SIGNED_ENV);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 403 JSON without a valid signature, before storage is asked', async () => {
    for (const url of [subtitlePath(ITEM, 'en'), subtitlePath('show/missing.mp4', 'en'), `${subtitlePath(ITEM, 'en')}?${signedQuery('other.mp4')}`]) {
      const res = await fetchBytes(t.baseUrl, url);
      expect(res.status).toBe(403);
      expect(header(res, 'content-type')).toBe('application/json; charset=utf-8');
    }
  });

  it("serves the track to the item's signed link, privately cached until it expires", async () => {
    const res = await fetchBytes(t.baseUrl, `${subtitlePath(ITEM, 'en')}?${signedQuery(ITEM)}`);
    expect(res.status).toBe(200);
    expectBytes(res.body, EN_VTT);
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(header(res, 'cache-control') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(600);
  });
});
