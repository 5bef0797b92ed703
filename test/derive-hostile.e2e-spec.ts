import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { METADATA_PROBER, type MetadataProber } from '../src/derive/media-metadata.js';
import { fetchBytes } from './support/http.js';
import { makeMp4 } from './support/media.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

// Crafted files named as media: each tries to make ffprobe/ffmpeg read a
// file outside the root or open a connection. None may succeed.
const SECRET_TEXT = 'SECRET-7f3a9c-never-to-be-read';

let root: string;
let outside: string;
let dataDir: string;
let app: TestApp;
let listener: net.Server;
let connections = 0;
let port = 0;

beforeAll(async () => {
  root = await makeMediaRoot();
  outside = await mkdtemp(path.join(tmpdir(), 'derive-secret-'));
  dataDir = await mkdtemp(path.join(tmpdir(), 'derive-hostile-data-'));
  listener = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as net.AddressInfo).port;

  const secretText = path.join(outside, 'secret.txt');
  const secretVideo = await makeMp4(path.join(outside, 'secret.mp4'));
  await writeFile(secretText, SECRET_TEXT);
  const segments = [`file:${secretText}`, secretText, secretVideo, `http://127.0.0.1:${port}/segment.ts`];
  await writeFile(
    path.join(root, 'hls.mp4'),
    ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:10', ...segments.flatMap((uri) => ['#EXTINF:10,', uri]), '#EXT-X-ENDLIST', ''].join('\n'),
  );
  await writeFile(path.join(root, 'net.m3u8.mp4'), `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:${port}/a.ts\n#EXT-X-ENDLIST\n`);
  await writeFile(path.join(root, 'concat.mp4'), `ffconcat version 1.0\nfile '${secretVideo}'\nfile '${secretText}'\n`);
  await writeFile(path.join(root, 'concat-url.webm'), `ffconcat version 1.0\nfile 'http://127.0.0.1:${port}/b.webm'\n`);
  await writeFile(path.join(root, 'text.mp4'), 'just some text, not a movie\n'.repeat(20));
  const real = await readFile(await makeMp4(path.join(outside, 'whole.mp4')));
  await writeFile(path.join(root, 'truncated.mp4'), real.subarray(0, Math.floor(real.length / 3)));
  app = await startApp(root, { DATA_DIR: dataDir });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => listener.close(resolve));
  await removeRoot(root);
  await rm(outside, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

const HOSTILE = ['hls.mp4', 'net.m3u8.mp4', 'concat.mp4', 'concat-url.webm', 'text.mp4', 'truncated.mp4'];

describe('hostile media files', () => {
  it.each(HOSTILE)('%s is probed as failed, without reading elsewhere or connecting', async (id) => {
    const head = await fetchBytes(app.baseUrl, `/api/videos/${encodeURIComponent(id)}/stream`, { method: 'HEAD' });
    const result = await app.app.get<MetadataProber>(METADATA_PROBER).probe(id, String(head.headers.etag));
    expect(result.metadata).toEqual({ status: 'failed', durationSeconds: null, bitrate: null, video: null, audio: null });
    expect(result.hasCoverArt).toBe(false);
    expect(connections).toBe(0);
  });

  it.each(HOSTILE)('%s has no poster: 404 JSON, no secret bytes, no connection', async (id) => {
    for (const query of ['', '?width=160']) {
      const res = await fetchBytes(app.baseUrl, `/api/videos/${encodeURIComponent(id)}/poster${query}`);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body.toString())).toEqual({ statusCode: 404, error: 'Not Found', message: 'This item has no poster.' });
      expect(res.body.includes(SECRET_TEXT)).toBe(false);
      expect(res.body.toString()).not.toContain(outside);
    }
    expect(connections).toBe(0);
  });
});
