import { readdirSync, readFileSync } from 'node:fs';
import { open, truncate, writeFile } from 'node:fs/promises';
import http, { ClientRequest, IncomingMessage } from 'node:http';
import path from 'node:path';
import { fdsOn, sleep } from './support/fds.js';
import { fetchBytes, patternBytes } from './support/http.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';
import { idleProber } from './support/fake-prober.js';

/*
 * The app runs inside this jest worker process, so /proc/self describes the
 * server: its descriptors (/proc/self/fd), its reads (/proc/self/io) and its
 * memory (process.memoryUsage()).
 */

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const MEDIUM_SIZE = 8 * MiB;
const HUGE_SIZE = 256 * MiB;
const BIG_SIZE = 5 * GiB; // 5368709120
/**
 * Descriptors may settle a little above the baseline for reasons unrelated to
 * the requests: Node and libuv open some lazily on first use (e.g. the
 * threadpool's or the resolver's), and a closed socket's descriptor is
 * released on a later loop turn than the one that destroyed it. A leak of the
 * 50 files under test would exceed this by far, and the checks of descriptors
 * that point at the media file itself use no tolerance at all.
 */
const FD_TOLERANCE = 2;
const CONCURRENCY = 50;

let t: TestApp;
/** Every client request made here, so that afterAll can end them even after a failure. */
const clients = new Set<ClientRequest>();
let mediumPath: string;
let hugePath: string;
let bigPath: string;

/** Known bytes written into the sparse 5 GiB file, by offset. */
const bigMarks = new Map<number, Buffer>();

function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** How many of this process's descriptors are open on `file`. */


/** Polls (up to `timeoutMs`) until the descriptors are back near `baseline` and none is on `file`. */
async function settle(baseline: number, file: string, timeoutMs = 5000): Promise<{ count: number; onFile: number }> {
  const deadline = Date.now() + timeoutMs;
  let state = { count: fdCount(), onFile: fdsOn(file) };
  while ((state.count > baseline + FD_TOLERANCE || state.onFile > 0) && Date.now() < deadline) {
    await sleep(50);
    state = { count: fdCount(), onFile: fdsOn(file) };
  }
  return state;
}

function readRchar(): number {
  const match = /^rchar:\s*(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  if (match === null) throw new Error('no rchar in /proc/self/io');
  return Number(match[1]);
}

interface Opened {
  req: ClientRequest;
  res: IncomingMessage;
}

/** A GET (or HEAD) that resolves, paused, once the first body chunk arrived (for HEAD: the headers). */
function openUntilFirstChunk(method: 'GET' | 'HEAD', target: string, headers: Record<string, string> = {}): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: t.port, path: target, method, headers, agent: false }, (res) => {
      if (method === 'HEAD') {
        res.resume();
        res.on('end', () => resolve({ req, res }));
        return;
      }
      res.once('data', () => {
        res.pause();
        resolve({ req, res });
      });
    });
    clients.add(req);
    req.on('close', () => clients.delete(req));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // Destroying our own request later raises this; ignore it then.
      if (!req.destroyed) reject(error);
    });
    req.end();
  });
}

beforeAll(async () => {
  const root = await makeMediaRoot();
  mediumPath = path.join(root, 'medium.mp4');
  await writeFile(mediumPath, patternBytes(MEDIUM_SIZE, 3));

  // fs.truncate extends a file with a hole: sparse, nothing written to disk.
  hugePath = path.join(root, 'huge.mp4');
  await writeFile(hugePath, '');
  await truncate(hugePath, HUGE_SIZE);

  bigPath = path.join(root, 'big.mp4');
  await writeFile(bigPath, '');
  await truncate(bigPath, BIG_SIZE);
  bigMarks.set(4 * GiB - 10, Buffer.from('ACROSS-THE-4GiB-EDGE')); // bytes 4294967286-4294967305
  bigMarks.set(4 * GiB + 12345, Buffer.from('PAST-4GiB-0123456789')); // bytes 4294979641-4294979660
  bigMarks.set(BIG_SIZE - 16, Buffer.from('THE-LAST-16-BYTE')); // bytes 5368709104-5368709119
  const handle = await open(bigPath, 'r+');
  try {
    for (const [offset, bytes] of bigMarks) await handle.write(bytes, 0, bytes.length, offset);
  } finally {
    await handle.close();
  }

  // The open-file cache off: each request's own descriptor is what is counted
  // here (test/open-file-cache.e2e-spec.ts covers the cache).
  // Background probes hold a descriptor for a moment: none here, where descriptors are counted.
  t = await startApp(root, { OPEN_FILE_CACHE_MS: '0' }, {}, { prober: idleProber });
  // Warm up: lazily created descriptors (threadpool, etc.) exist before any baseline.
  for (const method of ['GET', 'HEAD']) {
    const res = await fetchBytes(t.baseUrl, '/api/videos/medium.mp4/stream', { method });
    expect(res.status).toBe(200);
  }
}, 30_000);

afterAll(async () => {
  for (const req of clients) req.destroy();
  await t?.close();
  if (t) await removeRoot(t.root);
});

/** The expected content of big.mp4 between first and last (inclusive): zeros except the marks. */
function bigBytes(first: number, last: number): Buffer {
  const out = Buffer.alloc(last - first + 1);
  for (const [offset, bytes] of bigMarks) {
    for (let i = 0; i < bytes.length; i++) {
      const at = offset + i;
      if (at >= first && at <= last) out[at - first] = bytes[i];
    }
  }
  return out;
}

describe('file descriptors', () => {
  async function abortMany(headers: Record<string, string>, status: 200 | 206, multipart: boolean): Promise<void> {
    // A descriptor of an earlier test may still be closing on a loaded
    // machine (seen once in a full run): start from a settled state.
    expect((await settle(fdCount(), mediumPath)).onFile).toBe(0);
    const baseline = fdCount();

    const opened = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => openUntilFirstChunk('GET', '/api/videos/medium.mp4/stream', headers)),
    );
    try {
      for (const { res } of opened) {
        expect(res.statusCode).toBe(status);
        if (multipart) expect(String(res.headers['content-type'])).toMatch(/^multipart\/byteranges; boundary=/);
      }
      // Sanity: the measurement sees the 100 sockets (client and server ends) at least.
      expect(fdCount()).toBeGreaterThanOrEqual(baseline + 2 * CONCURRENCY);
    } finally {
      for (const { req } of opened) req.destroy();
    }

    const after = await settle(baseline, mediumPath);
    expect(after.onFile).toBe(0);
    expect(after.count).toBeLessThanOrEqual(baseline + FD_TOLERANCE);
  }

  it(`closes the file of each of ${CONCURRENCY} GETs aborted after the first chunk`, async () => {
    await abortMany({}, 200, false);
  }, 20_000);

  it(`closes the file of each of ${CONCURRENCY} aborted multi-range GETs`, async () => {
    await abortMany({ Range: 'bytes=0-1048575,2097152-8388607' }, 206, true);
  }, 20_000);

  it(`closes the file of each of ${CONCURRENCY} aborted single-range GETs`, async () => {
    await abortMany({ Range: 'bytes=1000-' }, 206, false);
  }, 20_000);

  it('HEAD reads none of the file, and leaves no descriptor behind', async () => {
    // HEAD may open the file for a moment: the descriptor is how the
    // repository proves the file is inside the root and what its size is.
    // It must read none of its bytes, and keep nothing open.
    const baseline = fdCount();
    const rcharBefore = readRchar();
    const opened = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => openUntilFirstChunk('HEAD', '/api/videos/medium.mp4/stream')),
    );
    const read = readRchar() - rcharBefore;
    for (const { res } of opened) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-length']).toBe(String(MEDIUM_SIZE));
    }
    // rchar also counts socket reads (requests, responses): 50 HEADs of an
    // 8 MiB file come to well under 1 MiB unless the file itself is read.
    expect(read).toBeLessThan(1024 * 1024);
    const after = await settle(baseline, mediumPath);
    expect(after.onFile).toBe(0);
    expect(after.count).toBeLessThanOrEqual(baseline + FD_TOLERANCE);
  }, 20_000);

  it('the descriptor count does see a file that a GET holds open (control)', async () => {
    const { req, res } = await openUntilFirstChunk('GET', '/api/videos/huge.mp4/stream');
    try {
      expect(res.statusCode).toBe(200);
      // 256 MiB cannot fit in socket buffers: the server must still hold the file.
      expect(fdsOn(hugePath)).toBeGreaterThan(0);
    } finally {
      req.destroy();
    }
    const deadline = Date.now() + 5000;
    while (fdsOn(hugePath) > 0 && Date.now() < deadline) await sleep(50);
    expect(fdsOn(hugePath)).toBe(0);
  }, 20_000);
});

describe('backpressure', () => {
  it('reads no further than the socket can take while the client is paused, then sends exactly Content-Length bytes', async () => {
    const memoryBefore = process.memoryUsage();
    const rcharBefore = readRchar();

    const { res } = await new Promise<{ res: IncomingMessage }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: t.port, path: '/api/videos/huge.mp4/stream', agent: false }, (r) => {
        r.pause();
        resolve({ res: r });
      });
      clients.add(req);
      req.on('close', () => clients.delete(req));
      req.on('error', reject);
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe(String(HUGE_SIZE));

    // Paused for ~1.5 s: without backpressure the server would read (and
    // buffer) the whole 256 MiB in that time.
    let peakRss = memoryBefore.rss;
    let peakArrayBuffers = memoryBefore.arrayBuffers;
    for (let i = 0; i < 15; i++) {
      await sleep(100);
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakArrayBuffers = Math.max(peakArrayBuffers, now.arrayBuffers);
    }
    const readWhilePaused = readRchar() - rcharBefore;

    // rchar counts every byte this process read (file and sockets). Socket
    // buffers on loopback hold a few MiB; 32 MiB is far below the 256 MiB an
    // unthrottled reader would have consumed.
    expect(readWhilePaused).toBeLessThan(32 * MiB);
    // Memory: at most 64 MiB more than before (allows GC noise; the whole file would be 256 MiB).
    expect(peakRss - memoryBefore.rss).toBeLessThan(64 * MiB);
    expect(peakArrayBuffers - memoryBefore.arrayBuffers).toBeLessThan(64 * MiB);

    const received = await new Promise<number>((resolve, reject) => {
      let count = 0;
      res.on('data', (chunk: Buffer) => {
        count += chunk.length;
      });
      res.on('end', () => resolve(count));
      res.on('error', reject);
      res.resume();
    });
    expect(received).toBe(HUGE_SIZE);
    // The server closes the file once the body is sent, which may come just after the client's 'end'.
    for (let tries = 0; tries < 50 && fdsOn(hugePath) > 0; tries++) await sleep(20);
    expect(fdsOn(hugePath)).toBe(0);
  }, 30_000);
});

describe('files larger than 4 GiB', () => {
  const target = '/api/videos/big.mp4/stream';

  it('HEAD announces the full 64-bit size', async () => {
    const res = await fetchBytes(t.baseUrl, target, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('5368709120');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.body.length).toBe(0);
  });

  it('the metadata and the listing carry the full size', async () => {
    const meta = await fetchBytes(t.baseUrl, '/api/videos/big.mp4');
    expect(meta.status).toBe(200);
    expect((JSON.parse(meta.body.toString('utf8')) as { size: number }).size).toBe(BIG_SIZE);
  });

  it.each([
    ['bytes=4294979641-4294979660', 4294979641, 4294979660],
    ['bytes=4294967286-4294967305', 4294967286, 4294967305], // across the 4 GiB boundary
    ['bytes=4294967296-4294967296', 4294967296, 4294967296], // the first byte past 2^32
    ['bytes=4294967295-4294967295', 4294967295, 4294967295], // the last byte below 2^32
    ['bytes=-16', 5368709104, 5368709119], // suffix
    ['bytes=-36', 5368709084, 5368709119],
    ['bytes=5368709100-', 5368709100, 5368709119], // open-ended
    ['bytes=5368709110-99999999999999', 5368709110, 5368709119], // end clipped to the last byte
    ['bytes=5368709110-5368709120', 5368709110, 5368709119],
  ])('%s answers 206 with the exact bytes', async (range, first, last) => {
    const res = await fetchBytes(t.baseUrl, target, { headers: { Range: range } });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${first}-${last}/5368709120`);
    expect(res.headers['content-length']).toBe(String(last - first + 1));
    expect(res.body.equals(bigBytes(first, last))).toBe(true);
  });

  it('HEAD with a range past 4 GiB answers the GET headers', async () => {
    const res = await fetchBytes(t.baseUrl, target, { method: 'HEAD', headers: { Range: 'bytes=4294979641-4294979660' } });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 4294979641-4294979660/5368709120');
    expect(res.headers['content-length']).toBe('20');
    expect(res.body.length).toBe(0);
  });

  it('a range starting at the 5 GiB end answers 416 with the full size', async () => {
    const res = await fetchBytes(t.baseUrl, target, { headers: { Range: 'bytes=5368709120-' } });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */5368709120');
  });

  it('multipart ranges past 4 GiB carry the right Content-Range and bytes per part', async () => {
    const res = await fetchBytes(t.baseUrl, target, {
      headers: { Range: 'bytes=4294967286-4294967305, 4294979641-4294979660' },
    });
    expect(res.status).toBe(206);
    const contentType = String(res.headers['content-type']);
    const boundary = /^multipart\/byteranges;\s*boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
    expect(boundary).toBeDefined();
    expect(Number(res.headers['content-length'])).toBe(res.body.length);

    const text = res.body.toString('latin1');
    const parts = text
      .split(`--${boundary as string}`)
      .slice(1, -1)
      .map((part) => {
        const headEnd = part.indexOf('\r\n\r\n');
        const head = part.slice(0, headEnd);
        const body = part.slice(headEnd + 4).replace(/\r\n$/, '');
        return { range: /content-range:\s*([^\r\n]+)/i.exec(head)?.[1], body: Buffer.from(body, 'latin1') };
      });
    expect(parts.map((part) => part.range)).toEqual([
      'bytes 4294967286-4294967305/5368709120',
      'bytes 4294979641-4294979660/5368709120',
    ]);
    expect(parts[0].body.equals(bigBytes(4294967286, 4294967305))).toBe(true);
    expect(parts[1].body.equals(bigBytes(4294979641, 4294979660))).toBe(true);
  });
});
