import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { METADATA_PROBER, type MetadataProber } from '../src/derive/media-metadata.js';
import { fetchBytes, header } from './support/http.js';
import { dimensionsOf, makeMp4 } from './support/media.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

// A machine without ffmpeg: PATH holds no ffprobe or ffmpeg and neither
// FFPROBE_PATH nor FFMPEG_PATH is set, so the service must fall back to the
// binaries that its npm dependencies ship.
let root: string;
let work: string;
let app: TestApp;

beforeAll(async () => {
  root = await makeMediaRoot();
  work = await mkdtemp(path.join(tmpdir(), 'derive-shipped-'));
  await makeMp4(path.join(root, 'clip.mp4'));
  const saved = { FFPROBE_PATH: process.env.FFPROBE_PATH, FFMPEG_PATH: process.env.FFMPEG_PATH };
  delete process.env.FFPROBE_PATH;
  delete process.env.FFMPEG_PATH;
  try {
    app = await startApp(root, { DATA_DIR: path.join(work, 'data'), PATH: path.join(work, 'empty-bin') });
  } finally {
    Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, value]) => value !== undefined)));
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
  await removeRoot(root);
  await rm(work, { recursive: true, force: true });
});

describe('ffprobe and ffmpeg from the npm packages', () => {
  it('probes and makes a poster with no ffmpeg on PATH', async () => {
    const head = await fetchBytes(app.baseUrl, '/api/videos/clip.mp4/stream', { method: 'HEAD' });
    const result = await app.app.get<MetadataProber>(METADATA_PROBER).probe('clip.mp4', String(head.headers.etag));
    expect(result.metadata).toMatchObject({ status: 'ready', video: { codec: 'h264', width: 320, height: 240, frameRate: 25 }, audio: { codec: 'aac' } });

    const poster = await fetchBytes(app.baseUrl, '/api/videos/clip.mp4/poster?width=160');
    expect(poster.status).toBe(200);
    expect(header(poster, 'content-type')).toBe('image/jpeg');
    expect(dimensionsOf(poster.body)).toMatchObject({ width: 160, height: 120, codec: 'mjpeg' });
  });
});
