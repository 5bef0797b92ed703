import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FfprobeMetadataProber } from '../src/derive/probe/ffprobe-metadata.prober.js';
import { fetchBytes, header } from './support/http.js';
import { dimensionsOf, makeMp4 } from './support/media.js';
import { idleProber } from './support/fake-prober.js';
import { type StartedS3Backend, startS3Backend } from './support/s3-backend.js';

// On S3, ffprobe and ffmpeg read a presigned GetObject URL of the one object.
let backend: StartedS3Backend;
let work: string;
let listener: net.Server;
let connections = 0;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'derive-s3-'));
  listener = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as net.AddressInfo).port;
  const clip = await readFile(await makeMp4(path.join(work, 'clip.mp4')));
  const playlist = `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:${port}/a.ts\n#EXTINF:10,\nclip.mp4\n#EXT-X-ENDLIST\n`;
  backend = await startS3Backend(
    { 'clip.mp4': clip, 'hls.mp4': Buffer.from(playlist) },
    // The catalog's background probes would run first and be shared: the
    // test probes itself so it sees each probe's own requests.
    { env: { DATA_DIR: path.join(work, 'data') }, prober: idleProber },
  );
}, 120_000);

afterAll(async () => {
  await backend?.close();
  await new Promise((resolve) => listener.close(resolve));
  await rm(work, { recursive: true, force: true });
});

async function probe(id: string) {
  const head = await fetchBytes(backend.baseUrl, `/api/videos/${id}/stream`, { method: 'HEAD' });
  return backend.app.app.get(FfprobeMetadataProber).probe(id, String(head.headers.etag));
}

describe('derive on S3', () => {
  it('probes an object and makes its poster through a presigned URL', async () => {
    expect((await probe('clip.mp4')).metadata).toMatchObject({ status: 'ready', video: { codec: 'h264', width: 320 }, audio: { codec: 'aac' } });
    const poster = await fetchBytes(backend.baseUrl, '/api/videos/clip.mp4/poster?width=160');
    expect(poster.status).toBe(200);
    expect(header(poster, 'content-type')).toBe('image/jpeg');
    expect(dimensionsOf(poster.body)).toMatchObject({ width: 160, height: 120 });
    const gets = backend.s3.requests.filter((request) => request.method === 'GET' && request.url.startsWith(`/${backend.bucket}/clip.mp4?`));
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.every((request) => request.url.includes('X-Amz-Signature='))).toBe(true);
  });

  it('probes a playlist object as failed, without opening what it names', async () => {
    const before = backend.s3.requests.length;
    expect((await probe('hls.mp4')).metadata.status).toBe('failed');
    const poster = await fetchBytes(backend.baseUrl, '/api/videos/hls.mp4/poster');
    expect(poster.status).toBe(404);
    expect(connections).toBe(0);
    // Object reads only (a bucket-level GET is the sidecar listing): the playlist itself, never clip.mp4 that it names.
    const objects = backend.s3.requests
      .slice(before)
      .filter((request) => request.method === 'GET')
      .map((request) => request.url.split('?')[0])
      .filter((url) => url !== `/${backend.bucket}` && url !== `/${backend.bucket}/`);
    expect(objects.length).toBeGreaterThan(0);
    expect(new Set(objects)).toEqual(new Set([`/${backend.bucket}/hls.mp4`]));
  });
});
