import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expectBytes, fetchBytes, header, patternBytes } from './support/http.js';
import { StartedS3Backend, startS3Backend } from './support/s3-backend.js';
import { idleProber } from './support/fake-prober.js';

const run = promisify(execFile);
const KEY = 'signing-key-for-the-redirect-tests-0123';
const API_KEY = 'api-key-for-redirect-tests-0123';
const ID = 'clips/ünï clip.mp4';
const BYTES = patternBytes(300_000);
const stream = (id: string): string => `/api/videos/${encodeURIComponent(id)}/stream`;

function link(id: string, expires = Math.floor(Date.now() / 1000) + 600): string {
  return `expires=${expires}&signature=${createHmac('sha256', KEY).update(`${id}\n${expires}`, 'utf8').digest('base64url')}`;
}

/** `curl -L` with a Range, as a user would fetch: the bytes and the last response's headers. */
async function curl(url: string, range: string): Promise<{ body: Buffer; headers: string }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'curl-'));
  try {
    const dump = path.join(folder, 'headers');
    const { stdout } = await run('curl', ['-sS', '-L', '-D', dump, '-H', `Range: ${range}`, url], { encoding: 'buffer', maxBuffer: 10 * 1024 * 1024 });
    return { body: stdout, headers: await readFile(dump, 'latin1') };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

describe.each([
  ['public', {}],
  ['signed', { ACCESS_MODE: 'signed', SIGNING_KEYS: KEY, API_KEYS: API_KEY }],
])('S3_DELIVERY=redirect, %s mode', (mode, accessEnv) => {
  let s3: StartedS3Backend;
  const query = (id: string): string => (mode === 'signed' ? `?${link(id)}` : '');

  beforeAll(async () => {
    s3 = await startS3Backend({ [ID]: BYTES, 'other.webm': patternBytes(1000) }, { env: { S3_DELIVERY: 'redirect', S3_REDIRECT_SECONDS: '120', ...accessEnv }, prober: idleProber });
  }, 30_000);
  afterAll(async () => {
    await s3?.close();
  });

  it('answers GET with a 302 to a presigned GetObject of the item, asking nothing else of the store than a HEAD', async () => {
    s3.s3.requests.length = 0;
    const res = await fetchBytes(s3.baseUrl, `${stream(ID)}${query(ID)}`, { headers: { Range: 'bytes=100-199' } });
    expect(res.status).toBe(302);
    expect(header(res, 'cache-control')).toBe('private, no-store');
    expect(res.body.length).toBe(0);
    const location = new URL(header(res, 'location') ?? '');
    expect(location.origin).toBe(s3.s3.endpoint);
    expect(decodeURIComponent(location.pathname)).toBe(`/${s3.bucket}/${ID}`);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(location.searchParams.get('response-content-type')).toBe('video/mp4');
    expect(s3.s3.requests.map((request) => request.method)).toEqual(['HEAD']);
  });

  it('gets the exact bytes of a range through the redirect with curl -L', async () => {
    const { body, headers } = await curl(`${s3.baseUrl}${stream(ID)}${query(ID)}`, 'bytes=1000-65535');
    expect(headers).toMatch(/^HTTP\/1\.1 302/m);
    expect(headers).toMatch(/^HTTP\/1\.1 206/m);
    expect(headers).toMatch(/^content-range: bytes 1000-65535\/300000\r?$/im);
    expectBytes(body, BYTES.subarray(1000, 65536));
  });

  it('gets the whole file with the name for download=1', async () => {
    const res = await fetchBytes(s3.baseUrl, `${stream(ID)}${query(ID)}${mode === 'signed' ? '&' : '?'}download=1`);
    expect(res.status).toBe(302);
    const followed = await fetchBytes(s3.s3.endpoint, (header(res, 'location') ?? '').slice(s3.s3.endpoint.length));
    expect(followed.status).toBe(200);
    expect(header(followed, 'content-disposition')).toContain('attachment');
    expect(header(followed, 'content-disposition')).toContain("filename*=UTF-8''%C3%BCn%C3%AF%20clip.mp4");
    expectBytes(followed.body, BYTES);
  });

  it('still answers HEAD itself, as the proxy would', async () => {
    const res = await fetchBytes(s3.baseUrl, `${stream(ID)}${query(ID)}`, { method: 'HEAD', headers: { Range: 'bytes=0-9' } });
    expect(res.status).toBe(206);
    expect(header(res, 'content-range')).toBe('bytes 0-9/300000');
    expect(header(res, 'location')).toBeUndefined();
  });

  it('answers a missing item with the service\'s own 404, not a redirect', async () => {
    const res = await fetchBytes(s3.baseUrl, `${stream('missing.mp4')}${query('missing.mp4')}`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString())).toMatchObject({ statusCode: 404 });
  });

  if (mode === 'signed') {
    it('checks the link before redirecting or asking the store', async () => {
      s3.s3.requests.length = 0;
      for (const url of [stream(ID), `${stream(ID)}?${link('other.webm')}`, stream('missing.mp4')]) {
        const res = await fetchBytes(s3.baseUrl, url);
        expect(res.status).toBe(403);
        expect(header(res, 'location')).toBeUndefined();
      }
      expect(s3.s3.requests).toEqual([]);
    });
  }
});
