import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectBytes } from './support/http.js';
import { makeRawVideo } from './support/media-files.js';
import { RawClient, splitResponses } from './support/raw-client.js';
import { type ServiceProcess, builtService, killServices, startService } from './support/service-process.js';

/**
 * HTTP_HEADERS_TIMEOUT_SECONDS and HTTP_KEEPALIVE_TIMEOUT_SECONDS over raw
 * sockets on the built service: a trickled head is cut, an idle keep-alive
 * connection closed, and a download slower than both still completes.
 */

let work: string;
let video: Buffer;
let service: ServiceProcess;

beforeAll(async () => {
  const mainJs = builtService();
  work = await realpath(await mkdtemp(path.join(tmpdir(), 'media-slow-')));
  await makeRawVideo(path.join(work, 'clip.mkv'), 4);
  video = await readFile(path.join(work, 'clip.mkv'));
  service = await startService(mainJs, {
    MEDIA_ROOT: work,
    DATA_DIR: path.join(work, 'data'),
    HTTP_HEADERS_TIMEOUT_SECONDS: '1',
    HTTP_KEEPALIVE_TIMEOUT_SECONDS: '1',
  });
}, 300_000);

afterAll(async () => {
  killServices();
  if (work) await rm(work, { recursive: true, force: true });
});

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

it('closes a connection that trickles its request head (slowloris)', async () => {
  const client = new RawClient(service.port);
  await client.connected();
  client.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
  let trickled = 0;
  let open = true;
  void client.closed.then(() => (open = false));
  // One header line every 200 ms, never the blank line: only the timeout can end this.
  while (open && trickled < 150) {
    client.write(`X-Slow-${trickled}: y\r\n`);
    trickled++;
    await pause(200);
  }
  expect(open).toBe(false);
  // Node answers 408 before it closes; no request was ever served.
  const answer = client.received().toString('latin1');
  expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
}, 120_000);

it('closes an idle keep-alive connection after HTTP_KEEPALIVE_TIMEOUT_SECONDS', async () => {
  const client = new RawClient(service.port);
  await client.connected();
  client.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
  await client.closed;
  const [response] = splitResponses(client.received());
  expect(response.status).toBe(200);
  expect(response.head).toMatch(/\r\nkeep-alive: timeout=1/i);
}, 120_000);

it('never cuts a download slower than both timeouts', async () => {
  const client = new RawClient(service.port);
  await client.connected();
  client.write('GET /api/videos/clip.mkv/stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  // Reads in bursts with pauses: the whole download takes several times the 1 s timeouts.
  let done = false;
  void client.closed.then(() => (done = true));
  const started = Date.now();
  while (!done) {
    client.socket.pause();
    await pause(300);
    client.socket.resume();
    await pause(5);
  }
  const [response] = splitResponses(client.received());
  expect(response.status).toBe(200);
  expectBytes(response.body, video);
  // The premise, not a threshold: the reads alone were spread over more than the timeouts.
  expect(Date.now() - started).toBeGreaterThan(1000);
}, 300_000);
