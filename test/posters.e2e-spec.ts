import { mkdtemp, readFile, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { METADATA_PROBER, type MetadataProber } from '../src/derive/media-metadata.js';
import { fetchBytes, header } from './support/http.js';
import { brightnessOf, dimensionsOf, makeAudioOnly, makeBlackStartVideo, makeImage, makeMp3WithArt, makeMp4, makeWebm } from './support/media.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

const poster = (id: string, query = ''): string => `/api/videos/${encodeURIComponent(id)}/poster${query}`;

let root: string;
let dataDir: string;
let app: TestApp;

beforeAll(async () => {
  root = await makeMediaRoot();
  dataDir = await mkdtemp(path.join(tmpdir(), 'posters-data-'));
  await makeMp4(path.join(root, 'clip.mp4'));
  await makeWebm(path.join(root, 'movie.webm'));
  await makeMp3WithArt(path.join(root, 'music/song.mp3'));
  await makeAudioOnly(path.join(root, 'music/plain.m4a'));
  await makeBlackStartVideo(path.join(root, 'intro.mp4'));
  await makeMp4(path.join(root, 'side/withside.mp4'));
  await makeImage(path.join(root, 'side/withside.png'), 'blue', '200x100');
  app = await startApp(root, { DATA_DIR: dataDir, CACHE_MAX_AGE: '600' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await removeRoot(root);
  await rm(dataDir, { recursive: true, force: true });
});

async function probe(id: string) {
  const item = await fetchBytes(app.baseUrl, `/api/videos/${encodeURIComponent(id)}/stream`, { method: 'HEAD' });
  return app.app.get<MetadataProber>(METADATA_PROBER).probe(id, String(item.headers.etag));
}

describe('metadata (ffprobe on the real files)', () => {
  it('reads mp4 h264/aac, webm vp9/opus, mp3 with cover art and audio alone', async () => {
    const mp4 = await probe('clip.mp4');
    expect(mp4.metadata).toMatchObject({
      status: 'ready',
      video: { codec: 'h264', width: 320, height: 240, frameRate: 25 },
      audio: { codec: 'aac', channels: 1, sampleRate: 44100 },
    });
    expect(mp4.metadata.durationSeconds).toBeCloseTo(2, 0);
    expect(mp4.metadata.bitrate).toBeGreaterThan(0);
    expect(mp4.hasCoverArt).toBe(false);

    const webm = await probe('movie.webm');
    expect(webm.metadata).toMatchObject({ status: 'ready', video: { codec: 'vp9', width: 320, height: 240 }, audio: { codec: 'opus', sampleRate: 48000 } });

    const song = await probe('music/song.mp3');
    expect(song).toMatchObject({ hasCoverArt: true, metadata: { status: 'ready', video: null, audio: { codec: 'mp3' } } });

    const plain = await probe('music/plain.m4a');
    expect(plain).toMatchObject({ hasCoverArt: false, metadata: { status: 'ready', video: null, audio: { codec: 'aac' } } });
  });
});

describe('GET, HEAD /api/videos/:id/poster', () => {
  it('makes a representative JPEG frame, not the black first frames', async () => {
    const res = await fetchBytes(app.baseUrl, poster('intro.mp4'));
    expect(res.status).toBe(200);
    expect(header(res, 'content-type')).toBe('image/jpeg');
    expect(Number(header(res, 'content-length'))).toBe(res.body.length);
    expect(dimensionsOf(res.body)).toEqual({ width: 640, height: 360, codec: 'mjpeg' });
    expect(brightnessOf(res.body)).toBeGreaterThan(50);
    expect(header(res, 'etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(header(res, 'cache-control')).toBe('public, max-age=600');
    expect(header(res, 'last-modified')).toBeDefined();
  });

  it('scales to a width, answers If-None-Match with 304, and HEAD as GET without a body', async () => {
    const full = await fetchBytes(app.baseUrl, poster('intro.mp4'));
    const small = await fetchBytes(app.baseUrl, poster('intro.mp4', '?width=160'));
    expect(small.status).toBe(200);
    expect(dimensionsOf(small.body)).toMatchObject({ width: 160, height: 90 });
    expect(header(small, 'etag')).not.toBe(header(full, 'etag'));
    const again = await fetchBytes(app.baseUrl, poster('intro.mp4', '?width=160'));
    expect(again.body.equals(small.body)).toBe(true);

    const notModified = await fetchBytes(app.baseUrl, poster('intro.mp4', '?width=160'), { headers: { 'If-None-Match': String(small.headers.etag) } });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);

    const head = await fetchBytes(app.baseUrl, poster('intro.mp4', '?width=160'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['content-type', 'content-length', 'etag', 'last-modified', 'cache-control']) {
      expect(header(head, name)).toBe(header(small, name));
    }
  });

  it('uses embedded cover art, and answers 404 JSON for audio without art', async () => {
    const art = await fetchBytes(app.baseUrl, poster('music/song.mp3'));
    expect(art.status).toBe(200);
    expect(dimensionsOf(art.body)).toMatchObject({ width: 64, height: 64, codec: 'mjpeg' });
    const wide = await fetchBytes(app.baseUrl, poster('music/song.mp3', '?width=320'));
    expect(dimensionsOf(wide.body)).toMatchObject({ width: 320, height: 320 });

    const none = await fetchBytes(app.baseUrl, poster('music/plain.m4a'));
    expect(none.status).toBe(404);
    expect(JSON.parse(none.body.toString())).toEqual({ statusCode: 404, error: 'Not Found', message: 'This item has no poster.' });
  });

  it('serves a sidecar image as that file, scales it as JPEG, and changes the ETag when it changes', async () => {
    const file = path.join(root, 'side/withside.png');
    const served = await fetchBytes(app.baseUrl, poster('side/withside.mp4'));
    expect(served.status).toBe(200);
    expect(header(served, 'content-type')).toBe('image/png');
    expect(served.body.equals(await readFile(file))).toBe(true);

    const scaled = await fetchBytes(app.baseUrl, poster('side/withside.mp4', '?width=160'));
    expect(header(scaled, 'content-type')).toBe('image/jpeg');
    expect(dimensionsOf(scaled.body)).toMatchObject({ width: 160, height: 80, codec: 'mjpeg' });

    await makeImage(file, 'green', '300x100');
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    const changed = await fetchBytes(app.baseUrl, poster('side/withside.mp4'));
    expect(changed.body.equals(await readFile(file))).toBe(true);
    expect(header(changed, 'etag')).not.toBe(header(served, 'etag'));
  });

  it('answers 400 for another width, 404 for an unknown item, 405 for other methods, in JSON', async () => {
    for (const query of ['?width=100', '?width=abc', '?width=160&width=320', '?width=']) {
      const res = await fetchBytes(app.baseUrl, poster('clip.mp4', query));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body.toString()).message).toBe('width must be one of 160, 320, 640, 1280.');
    }
    const missing = await fetchBytes(app.baseUrl, poster('nothing.mp4'));
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).message).toBe('No media has this ID.');
    const post = await fetchBytes(app.baseUrl, poster('clip.mp4'), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(header(post, 'allow')).toBe('GET, HEAD');
  });

  it('keeps generated images in DATA_DIR, none half-written', async () => {
    const names = (await readdir(path.join(dataDir, 'posters'), { recursive: true })).map(String);
    expect(names.filter((name) => name.endsWith('.jpg')).length).toBeGreaterThan(0);
    expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('is described in the OpenAPI document, width included', async () => {
    const doc = JSON.parse((await fetchBytes(app.baseUrl, '/docs-json')).body.toString()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; schema?: { enum?: number[] } }[] }>>;
    };
    const route = doc.paths['/api/videos/{id}/poster'];
    expect(Object.keys(route).sort()).toEqual(['get', 'head']);
    expect(route.get.parameters?.find((parameter) => parameter.name === 'width')?.schema?.enum).toEqual([160, 320, 640, 1280]);
  });

  it('does not disturb the item routes beside it', async () => {
    const stream = await fetchBytes(app.baseUrl, '/api/videos/clip.mp4/stream', { headers: { Range: 'bytes=0-3' } });
    expect(stream.status).toBe(206);
    expect(stream.body.equals((await readFile(path.join(root, 'clip.mp4'))).subarray(0, 4))).toBe(true);
  });
});
