import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { expectBytes, fetchBytes } from './support/http.js';
import { makeRawVideo } from './support/media-files.js';
import { parseMetrics, type Sample, valueOf } from './support/prometheus.js';
import { type TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

/** GET /metrics over real HTTP: the counts a known load must produce, exactly. */

const ID = 'a clip.mkv';
const STREAM = `/api/videos/${encodeURIComponent(ID)}/stream`;
let root: string;
let video: Buffer;

beforeAll(async () => {
  root = await makeMediaRoot();
  await makeRawVideo(path.join(root, ID), 6);
  video = await readFile(path.join(root, ID));
  await writeFile(path.join(root, 'small.mp4'), video.subarray(0, 1000));
}, 60_000);

afterAll(() => removeRoot(root));

async function scrape(app: TestApp, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await fetchBytes(app.baseUrl, '/metrics', { headers });
  expect(res.status).toBe(200);
  expect(String(res.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(res.body.toString('utf8'));
}

describe('metrics of a known load', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp(root);
  }, 60_000);
  afterAll(() => app.close());

  it('counts requests by route template, never by ID, and stream bytes exactly', async () => {
    const range = await fetchBytes(app.baseUrl, STREAM, { headers: { Range: 'bytes=0-4095' } });
    const whole = await fetchBytes(app.baseUrl, STREAM);
    // A spelling the fast path leaves to the VideoController: the same route label.
    const slowPath = await fetchBytes(app.baseUrl, `${STREAM}/`, { headers: { Range: 'bytes=10-19' } });
    expectBytes(range.body, video.subarray(0, 4096));
    expectBytes(whole.body, video);
    expectBytes(slowPath.body, video.subarray(10, 20));
    await fetchBytes(app.baseUrl, STREAM, { method: 'HEAD' });
    await fetchBytes(app.baseUrl, `/watch/${encodeURIComponent(ID)}`);
    await fetchBytes(app.baseUrl, `/api/videos/${encodeURIComponent(ID)}`);
    await fetchBytes(app.baseUrl, '/no/such/thing');
    const samples = await scrape(app);
    const requests = (labels: Record<string, string>): number => valueOf(samples, 'media_http_requests_total', labels);
    const route = '/api/videos/:id/stream';
    expect(requests({ method: 'GET', route, status: '206' })).toBe(2);
    expect(requests({ method: 'GET', route, status: '200' })).toBe(1);
    expect(requests({ method: 'HEAD', route, status: '200' })).toBe(1);
    expect(requests({ method: 'GET', route: '/watch/:id', status: '200' })).toBe(1);
    expect(requests({ method: 'GET', route: '/api/videos/:id', status: '200' })).toBe(1);
    expect(requests({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(valueOf(samples, 'media_http_request_duration_seconds_count', { method: 'GET', route })).toBe(3);
    expect(valueOf(samples, 'media_stream_bytes_sent_total')).toBe(4096 + video.length + 10);
    expect(valueOf(samples, 'media_streams_active')).toBe(0);
    for (const sample of samples) {
      for (const value of Object.values(sample.labels)) expect(value).not.toMatch(/clip|small/);
    }
    expect(samples.some((s) => s.name.startsWith('process_'))).toBe(true);
    expect(samples.some((s) => s.name.startsWith('nodejs_'))).toBe(true);
    for (const name of ['media_catalog_items', 'media_stream_aborted_total']) expect(samples.some((s) => s.name === name)).toBe(true);
  }, 60_000);

  it('reads the catalog size at each scrape and counts probe runs by result', async () => {
    const listed = JSON.parse((await fetchBytes(app.baseUrl, '/api/videos')).body.toString('utf8')) as { total: number };
    // GET /api/videos/:id waits for the item's probe, so a run has finished after it.
    await fetchBytes(app.baseUrl, '/api/videos/small.mp4');
    const samples = await scrape(app);
    expect(valueOf(samples, 'media_catalog_items')).toBe(listed.total);
    expect(listed.total).toBe(2);
    const runs = samples.filter((sample) => sample.name === 'media_probe_runs_total');
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(['ok', 'failed', 'unavailable']).toContain(run.labels.result);
    expect(runs.reduce((sum, run) => sum + run.value, 0)).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('an aborted download counts as aborted, its bytes as sent, and the active gauge goes back to 0', async () => {
    const before = await scrape(app);
    const received = await abortAfter(app.port, `${STREAM}`, 128 * 1024);
    let after = await scrape(app);
    for (let i = 0; i < 50 && valueOf(after, 'media_stream_aborted_total') === valueOf(before, 'media_stream_aborted_total'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await scrape(app);
    }
    expect(valueOf(after, 'media_stream_aborted_total') - valueOf(before, 'media_stream_aborted_total')).toBe(1);
    expect(valueOf(after, 'media_streams_active')).toBe(0);
    const sent = valueOf(after, 'media_stream_bytes_sent_total') - valueOf(before, 'media_stream_bytes_sent_total');
    expect(sent).toBeGreaterThanOrEqual(received);
    expect(sent).toBeLessThan(video.length);
  }, 60_000);
});

describe('access to /metrics', () => {
  it('METRICS_ENABLED=false: 404 JSON', async () => {
    const app = await startApp(root, { METRICS_ENABLED: 'false' });
    try {
      const res = await fetchBytes(app.baseUrl, '/metrics');
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ statusCode: 404 });
    } finally {
      await app.close();
    }
  }, 60_000);

  it('METRICS_TOKEN: 401 JSON without the Bearer token or with another, 200 with it', async () => {
    const token = 'metrics-token-0123456789';
    const app = await startApp(root, { METRICS_TOKEN: token });
    try {
      for (const headers of [{}, { Authorization: 'Bearer wrong-token-0123456789' }, { Authorization: token }] as Record<string, string>[]) {
        const res = await fetchBytes(app.baseUrl, '/metrics', { headers });
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ statusCode: 401 });
        expect(res.body.toString('utf8')).not.toContain(token);
      }
      expect(valueOf(await scrape(app, { Authorization: `Bearer ${token}` }), 'media_http_requests_total', { status: '401' })).toBe(3);
    } finally {
      await app.close();
    }
  }, 60_000);
});

/** Downloads the whole file on a raw socket and destroys it after `bytes`; the body bytes received. */
function abortAfter(port: number, target: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('connect', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const bodyStart = received.indexOf('\r\n\r\n') + 4;
      if (bodyStart > 3 && received.length - bodyStart >= bytes) {
        socket.destroy();
        resolve(received.length - bodyStart);
      }
    });
    socket.on('error', reject);
  });
}
