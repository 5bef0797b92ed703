import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

describe('smoke', () => {
  let t: TestApp;
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

  beforeAll(async () => {
    const root = await makeMediaRoot();
    await writeFile(path.join(root, 'clip.mp4'), bytes);
    t = await startApp(root);
  });
  afterAll(async () => {
    await t.close();
    await removeRoot(t.root);
  });

  it('serves a range', async () => {
    const res = await request(t.baseUrl)
      .get('/api/videos/clip.mp4/stream')
      .set('Range', 'bytes=10-19')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 10-19/1000');
    expect(Buffer.compare(res.body as Buffer, bytes.subarray(10, 20))).toBe(0);
  });
});
