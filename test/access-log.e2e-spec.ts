import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectBytes, fetchBytes, header } from './support/http.js';
import { makeRawVideo } from './support/media-files.js';
import { type LogLine, type ServiceProcess, builtService, killServices, startService } from './support/service-process.js';

/**
 * Access logs and request IDs, read from the stdout of the built service
 * (`node main.js`), for the stream fast path and the Nest routes alike.
 */

let mainJs: string;
let work: string;
let video: Buffer;
let service: ServiceProcess;

const lineOf = (id: string) => (line: LogLine) => line.req?.id === id;

beforeAll(async () => {
  mainJs = builtService();
  work = await realpath(await mkdtemp(path.join(tmpdir(), 'media-logs-')));
  await makeRawVideo(path.join(work, 'clip.mkv'), 8);
  video = await readFile(path.join(work, 'clip.mkv'));
  service = await startService(mainJs, { MEDIA_ROOT: work, DATA_DIR: path.join(work, 'data') });
}, 300_000);

afterAll(async () => {
  killServices();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('one JSON line per request', () => {
  it('start-up lines are JSON too', () => {
    const startup = service.lines().filter((line) => line.req === undefined);
    expect(startup.length).toBeGreaterThan(1);
    for (const line of startup) expect(typeof line.level === 'number' && typeof line.time === 'number').toBe(true);
  }, 60_000);

  it('logs a fast-path range with every field of the contract, and echoes the kept request ID', async () => {
    const res = await fetchBytes(service.baseUrl, '/api/videos/clip.mkv/stream', { headers: { Range: 'bytes=100-4195', 'X-Request-Id': 'trace.abc_123-Z' } });
    expect(res.status).toBe(206);
    expectBytes(res.body, video.subarray(100, 4196));
    expect(header(res, 'x-request-id')).toBe('trace.abc_123-Z');
    const line = await service.waitForLine(lineOf('trace.abc_123-Z'));
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'trace.abc_123-Z', method: 'GET', url: '/api/videos/clip.mkv/stream', remoteAddress: '127.0.0.1' },
      res: { statusCode: 206 },
      bytesSent: 4096,
      aborted: false,
    });
    expect(typeof line.time).toBe('number');
    expect(typeof line.responseTime).toBe('number');
  }, 60_000);

  it('logs Nest routes: the listing, a 404, a HEAD with no body bytes', async () => {
    const listing = await fetchBytes(service.baseUrl, '/api/videos', { headers: { 'X-Request-Id': 'listing-1' } });
    const missing = await fetchBytes(service.baseUrl, '/no/such/page', { headers: { 'X-Request-Id': 'missing-1' } });
    const head = await fetchBytes(service.baseUrl, '/api/videos/clip.mkv/stream', { method: 'HEAD', headers: { 'X-Request-Id': 'head-1' } });
    expect(await service.waitForLine(lineOf('listing-1'))).toMatchObject({ res: { statusCode: 200 }, bytesSent: listing.body.length });
    expect(await service.waitForLine(lineOf('missing-1'))).toMatchObject({ res: { statusCode: 404 }, bytesSent: missing.body.length });
    expect(head.status).toBe(200);
    expect(await service.waitForLine(lineOf('head-1'))).toMatchObject({ req: { method: 'HEAD' }, bytesSent: 0 });
    // Served by a middleware mounted at /docs, which rewrites request.url while it runs.
    const asset = await fetchBytes(service.baseUrl, '/docs/swagger-ui.css', { headers: { 'X-Request-Id': 'docs-1' } });
    expect(await service.waitForLine(lineOf('docs-1'))).toMatchObject({ req: { url: '/docs/swagger-ui.css' }, res: { statusCode: asset.status } });
  }, 60_000);

  it('makes an ID when none, or a bad one, is sent, and logs it', async () => {
    const made = await fetchBytes(service.baseUrl, '/health');
    const replaced = await fetchBytes(service.baseUrl, '/health', { headers: { 'X-Request-Id': 'has space' } });
    const tooLong = await fetchBytes(service.baseUrl, '/health', { headers: { 'X-Request-Id': 'x'.repeat(129) } });
    const ids = [made, replaced, tooLong].map((res) => header(res, 'x-request-id') ?? '');
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
      await service.waitForLine(lineOf(id));
    }
    expect(new Set(ids).size).toBe(3);
    expect(ids).not.toContain('has space');
  }, 60_000);

  it('never writes a signature, an Authorization or an X-API-Key value', async () => {
    await fetchBytes(service.baseUrl, '/api/videos/clip.mkv/stream?expires=99&signature=s3cr3t-sig&sig%6Eature=other-secret', {
      headers: { Range: 'bytes=0-0', Authorization: 'Bearer auth-secret-value', 'X-API-Key': 'api-key-secret-value', 'X-Request-Id': 'redact-1' },
    });
    const line = await service.waitForLine(lineOf('redact-1'));
    expect(line.req?.url).toBe('/api/videos/clip.mkv/stream?expires=99&signature=[REDACTED]&sig%6Eature=[REDACTED]');
    const all = service.lines().map((l) => JSON.stringify(l)).join('\n');
    for (const secret of ['s3cr3t-sig', 'other-secret', 'auth-secret-value', 'api-key-secret-value']) expect(all).not.toContain(secret);
  }, 60_000);

  it('an aborted download logs the bytes that left and aborted: true', async () => {
    const received = await abortAfter(service.port, 'abort-1', 256 * 1024);
    const line = await service.waitForLine(lineOf('abort-1'));
    expect(line).toMatchObject({ msg: 'request aborted', aborted: true, res: { statusCode: 200 } });
    const sent = line.bytesSent as number;
    expect(sent).toBeGreaterThanOrEqual(received);
    expect(sent).toBeLessThan(video.length);
  }, 60_000);
});

describe('behind a proxy', () => {
  const forwarded = { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'media.example' };

  it('TRUST_PROXY=false (default): X-Forwarded-* are ignored for the log and the embed snippet', async () => {
    await fetchBytes(service.baseUrl, '/api/videos/clip.mkv/stream', { headers: { ...forwarded, Range: 'bytes=0-0', 'X-Request-Id': 'untrusted-1' } });
    expect((await service.waitForLine(lineOf('untrusted-1'))).req?.remoteAddress).toBe('127.0.0.1');
    const page = await fetchBytes(service.baseUrl, '/watch/clip.mkv', { headers: forwarded });
    expect(page.body.toString('utf8')).toContain(`http://127.0.0.1:${service.port}/embed/clip.mkv`);
    expect(page.body.toString('utf8')).not.toContain('media.example');
  }, 60_000);

  it('TRUST_PROXY=loopback: the client address and the absolute URLs come from the proxy', async () => {
    const proxied = await startService(mainJs, { MEDIA_ROOT: work, DATA_DIR: path.join(work, 'data'), TRUST_PROXY: 'loopback' });
    await fetchBytes(proxied.baseUrl, '/api/videos/clip.mkv/stream', { headers: { ...forwarded, Range: 'bytes=0-0', 'X-Request-Id': 'trusted-1' } });
    await fetchBytes(proxied.baseUrl, '/api/videos', { headers: { ...forwarded, 'X-Request-Id': 'trusted-2' } });
    expect((await proxied.waitForLine(lineOf('trusted-1'))).req?.remoteAddress).toBe('203.0.113.7');
    expect((await proxied.waitForLine(lineOf('trusted-2'))).req?.remoteAddress).toBe('203.0.113.7');
    const page = await fetchBytes(proxied.baseUrl, '/watch/clip.mkv', { headers: forwarded });
    expect(page.body.toString('utf8')).toContain('https://media.example/embed/clip.mkv');
    proxied.child.kill('SIGTERM');
    expect(await proxied.exit).toMatchObject({ code: 0 });
  }, 120_000);

  it('PUBLIC_URL is the base of the embed snippet, whatever the request says', async () => {
    const published = await startService(mainJs, { MEDIA_ROOT: work, DATA_DIR: path.join(work, 'data'), TRUST_PROXY: 'true', PUBLIC_URL: 'https://cdn.example.org/media/' });
    const page = await fetchBytes(published.baseUrl, '/watch/clip.mkv', { headers: forwarded });
    expect(page.body.toString('utf8')).toContain('https://cdn.example.org/media/embed/clip.mkv');
    expect(page.body.toString('utf8')).not.toContain('media.example/embed');
    published.child.kill('SIGTERM');
    expect(await published.exit).toMatchObject({ code: 0 });
  }, 120_000);
});

/** Downloads the whole file on a raw socket, and destroys it after `bytes` body bytes; the count received. */
function abortAfter(port: number, id: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let bodyStart = -1;
    socket.on('connect', () => socket.write(`GET /api/videos/clip.mkv/stream HTTP/1.1\r\nHost: x\r\nX-Request-Id: ${id}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (bodyStart === -1) bodyStart = received.indexOf('\r\n\r\n') === -1 ? -1 : received.indexOf('\r\n\r\n') + 4;
      if (bodyStart !== -1 && received.length - bodyStart >= bytes) {
        socket.destroy();
        resolve(received.length - bodyStart);
      }
    });
    socket.on('error', reject);
  });
}
