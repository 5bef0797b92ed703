import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectBytes, fetchBytes } from './support/http.js';
import { makeRawVideo } from './support/media-files.js';
import { parseMetrics, valueOf } from './support/prometheus.js';
import { RawClient, refused, splitResponses } from './support/raw-client.js';
import { spawn } from 'node:child_process';
import { builtService, freePort, killServices, startService } from './support/service-process.js';

/** Real signals to the built service: draining, the grace period, and the cluster. */

let mainJs: string;
let work: string;
let video: Buffer;
const REQUEST = 'GET /api/videos/clip.mkv/stream HTTP/1.1\r\nHost: x\r\n\r\n';

beforeAll(async () => {
  mainJs = builtService();
  work = await realpath(await mkdtemp(path.join(tmpdir(), 'media-shutdown-')));
  await makeRawVideo(path.join(work, 'clip.mkv'), 8);
  video = await readFile(path.join(work, 'clip.mkv'));
}, 300_000);

afterAll(async () => {
  killServices();
  if (work) await rm(work, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}): Record<string, string> => ({ MEDIA_ROOT: work, DATA_DIR: path.join(work, 'data'), ...extra });

async function untilRefused(port: number): Promise<void> {
  for (let i = 0; i < 100 && !(await refused(port)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await refused(port)).toBe(true);
}

it('on SIGTERM: new connections are refused, ready answers 503, the download in flight completes, exit 0', async () => {
  const service = await startService(mainJs, env({ SHUTDOWN_GRACE_SECONDS: '30' }));
  expect((await fetchBytes(service.baseUrl, '/health/ready')).status).toBe(200);
  const client = new RawClient(service.port);
  await client.connected();
  client.write(REQUEST);
  await client.waitFor(64 * 1024);
  // The reader stalls: the download is in flight when the signal comes.
  client.socket.pause();
  service.child.kill('SIGTERM');
  await untilRefused(service.port);
  // Sent after the signal on the busy connection, answered once the download is done.
  client.write('GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n');
  client.socket.resume();
  await client.closed;
  const [download, ready] = splitResponses(client.received());
  expect(download.status).toBe(200);
  expectBytes(download.body, video);
  expect(ready.status).toBe(503);
  expect(ready.head).toMatch(/\r\nconnection: close/i);
  expect(JSON.parse(ready.body.toString('utf8'))).toMatchObject({ status: 'error', error: { shutdown: { status: 'down' } } });
  expect(await service.exit).toMatchObject({ code: 0 });
}, 180_000);

it('after SHUTDOWN_GRACE_SECONDS a stalled download is cut and the process still exits 0', async () => {
  const service = await startService(mainJs, env({ SHUTDOWN_GRACE_SECONDS: '1' }));
  const client = new RawClient(service.port);
  await client.connected();
  client.write(REQUEST);
  await client.waitFor(64 * 1024);
  client.socket.pause();
  service.child.kill('SIGTERM');
  expect(await service.exit).toMatchObject({ code: 0 });
  client.socket.resume();
  await client.closed;
  expect(client.received().length).toBeLessThan(video.length);
  const lines = service.lines();
  expect(lines.filter((line) => line.req !== undefined)).toEqual([expect.objectContaining({ msg: 'request aborted', aborted: true })]);
}, 180_000);

it('WEB_CONCURRENCY=2: one scrape sums both workers, and SIGTERM stops them all with exit 0', async () => {
  const service = await startService(mainJs, env({ WEB_CONCURRENCY: '2' }));
  // Both workers log their start; wait for the second so both serve.
  await service.waitForLine((line) => typeof line.msg === 'string' && line.msg.startsWith('Serving') && line.pid !== service.lines().find((l) => typeof l.msg === 'string' && l.msg.startsWith('Serving'))?.pid);
  const requests = 20;
  for (let i = 0; i < requests; i++) expect((await fetchBytes(service.baseUrl, '/health/live')).status).toBe(200);
  const pids = new Set((await Promise.all([0, 1, 2].map(() => service.waitForLine((l) => l.req?.url === '/health/live')))).map((l) => l.pid));
  expect(pids.size).toBeGreaterThanOrEqual(1);
  const res = await fetchBytes(service.baseUrl, '/metrics');
  expect(res.status).toBe(200);
  const samples = parseMetrics(res.body.toString('utf8'));
  expect(valueOf(samples, 'media_http_requests_total', { method: 'GET', route: '/health/live', status: '200' })).toBe(requests);
  // Each worker's lines leave in batches, up to 100 ms after its requests:
  // wait for a line from the other worker rather than read what has come.
  const firstPid = (await service.waitForLine((l) => l.req?.url === '/health/live')).pid;
  const other = await service.waitForLine((l) => l.req?.url === '/health/live' && l.pid !== firstPid, 10_000);
  expect(new Set([firstPid, other.pid]).size).toBe(2);
  service.child.kill('SIGTERM');
  expect(await service.exit).toMatchObject({ code: 0 });
}, 180_000);

it('LOG_FORMAT=pretty: human lines, and SIGTERM still ends the process with 0', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [mainJs], {
    cwd: work,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'pretty', ...env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  for (let i = 0; i < 600 && !out.includes('Serving media on'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect((await fetchBytes(`http://127.0.0.1:${port}`, '/health/live')).status).toBe(200);
  for (let i = 0; i < 100 && !out.includes('request completed'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(out).toContain('request completed');
  expect(out.split('\n').some((line) => line.startsWith('{'))).toBe(false);
  child.kill('SIGTERM');
  expect(await exit).toBe(0);
}, 180_000);
