import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fetchBytes, header } from './support/http.js';
import { makeImage, makeMp4 } from './support/media.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

const KEY = 'poster-signing-key-0123456789abcdefghij';
const SIGNED_ENV = { ACCESS_MODE: 'signed', SIGNING_KEYS: KEY, API_KEYS: 'poster-api-key-0123456789ab', CACHE_MAX_AGE: '3600' };
const now = (): number => Math.floor(Date.now() / 1000);
const signed = (id: string, expires: number): string =>
  `expires=${expires}&signature=${createHmac('sha256', KEY).update(`${id}\n${expires}`, 'utf8').digest('base64url')}`;

let root: string;
let work: string;
let app: TestApp;

beforeAll(async () => {
  root = await makeMediaRoot();
  work = await mkdtemp(path.join(tmpdir(), 'posters-signed-'));
  await makeMp4(path.join(root, 'clip.mp4'));
  await makeImage(path.join(root, 'clip.jpg'), 'yellow', '64x48');
  app = await startApp(root, { ...SIGNED_ENV, DATA_DIR: path.join(work, 'data') });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await removeRoot(root);
  await rm(work, { recursive: true, force: true });
});

describe('posters in signed mode', () => {
  it('answers 403 JSON without a valid link, for existing and missing items alike', async () => {
    for (const url of ['/api/videos/clip.mp4/poster', '/api/videos/none.mp4/poster', `/api/videos/clip.mp4/poster?${signed('other.mp4', now() + 60)}`]) {
      const res = await fetchBytes(app.baseUrl, url);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body.toString()).message).toBe('This link is invalid.');
    }
  });

  it('serves a signed link privately, capped at its expiry, for every width', async () => {
    const expires = now() + 120;
    for (const query of ['', '&width=320']) {
      const res = await fetchBytes(app.baseUrl, `/api/videos/clip.mp4/poster?${signed('clip.mp4', expires)}${query}`);
      expect(res.status).toBe(200);
      const maxAge = Number(/^private, max-age=(\d+)$/.exec(header(res, 'cache-control') ?? '')?.[1]);
      expect(maxAge).toBeGreaterThan(0);
      expect(maxAge).toBeLessThanOrEqual(120);
    }
  });
});
