import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import request from 'supertest';
import { patternBytes } from './support/http.js';
import { StartedS3Backend, startS3Backend } from './support/s3-backend.js';

/**
 * The catalog on S3 (s3rver): scanned with ListObjectsV2 pages under the
 * prefix, by the repository's key rules, with sidecars; changes show within
 * CATALOG_RESCAN_SECONDS (S3 cannot be watched).
 */

let backend: StartedS3Backend;

beforeAll(async () => {
  backend = await startS3Backend(
    {
      'clip.mp4': patternBytes(100),
      'clip.en.vtt': Buffer.from('WEBVTT\n'),
      'clip.jpg': Buffer.from('jpeg'),
      'sub/song.mp3': patternBytes(50),
      '.hidden.mp4': patternBytes(10),
      'notes.txt': Buffer.from('no'),
    },
    { prefix: 'lib/', env: { CATALOG_RESCAN_SECONDS: '1' } },
  );
});

afterAll(async () => {
  await backend?.close();
});

async function listedIds(): Promise<string[]> {
  const res = await request(backend.baseUrl).get('/api/videos').expect(200);
  return res.body.items.map((item: { id: string }) => item.id);
}

async function eventually(expected: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await listedIds()).join() !== expected.join()) {
    if (Date.now() > deadline) throw new Error(`the listing never became ${expected.join()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the catalog on S3', () => {
  it('lists the media below the prefix with their sidecars, by the key rules', async () => {
    const res = await request(backend.baseUrl).get('/api/videos').expect(200);
    expect(res.body.items.map((item: { id: string }) => item.id)).toEqual(['clip.mp4', 'sub/song.mp3']);
    expect(res.body.items[0]).toMatchObject({
      size: 100,
      subtitles: [{ track: 'en', language: 'en', label: 'English', url: '/api/videos/clip.mp4/subtitles/en' }],
      posterUrl: '/api/videos/clip.mp4/poster',
    });
    // The listed ETag is the one the stream route sends.
    const head = await request(backend.baseUrl).head('/api/videos/clip.mp4/stream').expect(200);
    expect(head.headers.etag).toBe(res.body.items[0].etag);
    expect((await request(backend.baseUrl).get('/api/videos?type=audio').expect(200)).body.total).toBe(1);
  });

  it('shows an object added and removed within CATALOG_RESCAN_SECONDS', async () => {
    await backend.s3.client.send(new PutObjectCommand({ Bucket: backend.bucket, Key: 'lib/added.webm', Body: patternBytes(30) }));
    await eventually(['added.webm', 'clip.mp4', 'sub/song.mp3']);
    await backend.s3.client.send(new DeleteObjectCommand({ Bucket: backend.bucket, Key: 'lib/clip.mp4' }));
    await eventually(['added.webm', 'sub/song.mp3']);
  }, 40_000);
});
