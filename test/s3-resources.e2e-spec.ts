/**
 * The S3 backend's resources and failures, against an in-process s3rver:
 * response bodies from S3 are released when clients go away (the SDK's
 * socket pool would run dry otherwise and requests would hang), HEAD reads
 * no object bytes, and a storage that stops answering gets a fixed 503.
 */
import { readFileSync } from 'node:fs';
import http, { ClientRequest } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { S3_MAX_BODY_SOCKETS } from '../src/media/storage/s3/s3-client.factory.js';
import { BytesResponse, expectBytes, fetchBytes, header, patternBytes } from './support/http.js';
import { boundaryOf, parseByteRanges } from './support/multipart.js';
import { StartedS3Backend, startS3Backend } from './support/s3-backend.js';
import { idleProber } from './support/fake-prober.js';

const MiB = 2 ** 20;
const BIG_ID = 'movies/big clip.mp4';
const BIG = patternBytes(2 * MiB + 123, 13);
const SMALL_ID = 'small.mp4';
const SMALL = patternBytes(4096, 5);
const FILES = { [BIG_ID]: BIG, [SMALL_ID]: SMALL };

const ABORTED_STREAMS = 200;
const CONCURRENCY = 50;
/** A generous bound: the requests take well under a second when nothing leaks. */
const BOUNDED_WAIT_MS = 20_000;

const STACK_LINE = /\n\s+at \S.*(:\d+:\d+|\(native\))/;

function streamPath(id: string): string {
  return `/api/videos/${encodeURIComponent(id)}/stream`;
}

/** Client requests still open, so that afterAll can end them even after a failure. */
const clients = new Set<ClientRequest>();

/** Rejects with a clear message when `promise` takes longer than `ms`. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts a GET and destroys the connection as soon as the first chunk of the
 * body arrives. Resolves with the status once the connection is closed.
 */
function abortAfterFirstChunk(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'GET', headers, agent: false });
    clients.add(req);
    let status = 0;
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.once('data', () => req.destroy());
      res.on('error', () => undefined);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // Destroying our own request is the point; anything else is a failure.
      if (status === 0) reject(error);
    });
    req.on('close', () => {
      clients.delete(req);
      resolve(status);
    });
    req.end();
  });
}

/**
 * Connections of this process's net namespace to 127.0.0.1:`port` that hold
 * received bytes nobody has read: each is a response body from S3 that was
 * neither read to the end nor destroyed.
 */
function unreadConnections(port: number): number {
  const remote = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let count = 0;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    if (columns.length < 5 || columns[2] !== remote) continue;
    const receiveQueue = parseInt(columns[4].split(':')[1] ?? '0', 16);
    if (receiveQueue > 0) count++;
  }
  return count;
}



afterAll(() => {
  for (const req of clients) req.destroy();
});

describe('S3 backend: bodies are released when clients abort', () => {
  let backend: StartedS3Backend;

  beforeAll(async () => {
    backend = await startS3Backend(FILES, { prefix: 'media/', prober: idleProber });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it(`survives ${ABORTED_STREAMS} streams aborted after their first chunk, more than the ${S3_MAX_BODY_SOCKETS} sockets to S3`, async () => {
    expect(ABORTED_STREAMS).toBeGreaterThan(S3_MAX_BODY_SOCKETS);
    // Each one asks S3 for far more than socket buffers absorb before the
    // abort, so an undestroyed body would keep its socket to S3.
    const requests: Array<Record<string, string>> = [
      {},
      { Range: 'bytes=0-' },
      // Multipart with a large first part.
      { Range: `bytes=0-${MiB + 99999},${2 * MiB}-` },
      // Multipart with a small first part and a large second one.
      { Range: 'bytes=0-9,100-' },
      // bytes=0-0 gets the whole object from s3rver, which the service cuts down.
      { Range: 'bytes=0-0,1000-' },
    ];
    const statuses: number[] = [];
    // In waves, so that later waves need the sockets earlier waves must have given back.
    const WAVE = 25;
    for (let wave = 0; wave < ABORTED_STREAMS / WAVE; wave++) {
      const batch = Array.from({ length: WAVE }, (_, i) =>
        abortAfterFirstChunk(backend.baseUrl, streamPath(BIG_ID), requests[(wave * WAVE + i) % requests.length]),
      );
      statuses.push(...(await within(BOUNDED_WAIT_MS, `wave ${wave} of aborted streams`, Promise.all(batch))));
    }
    expect(statuses).toHaveLength(ABORTED_STREAMS);
    for (const status of statuses) expect([200, 206]).toContain(status);
  }, 120_000);

  it('leaves no connection to S3 holding unread bytes (Linux: /proc/net/tcp)', async () => {
    let held = unreadConnections(backend.s3.port);
    const deadline = Date.now() + BOUNDED_WAIT_MS;
    while (held > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      held = unreadConnections(backend.s3.port);
    }
    expect(held).toBe(0);
  }, 60_000);

  it(`then answers ${CONCURRENCY} concurrent range requests correctly, within a bounded wait`, async () => {
    const ranges = Array.from({ length: CONCURRENCY }, (_, i) => {
      const first = (i * 40_961) % (BIG.length - 70_000);
      return [first, first + 1000 + i * 1000] as const;
    });
    const responses = await within(
      BOUNDED_WAIT_MS,
      `${CONCURRENCY} concurrent range requests`,
      Promise.all(ranges.map(([first, last]) => fetchBytes(backend.baseUrl, streamPath(BIG_ID), { headers: { Range: `bytes=${first}-${last}` } }))),
    );
    responses.forEach((res, i) => {
      const [first, last] = ranges[i];
      expect(res.status).toBe(206);
      expect(header(res, 'content-range')).toBe(`bytes ${first}-${last}/${BIG.length}`);
      expectBytes(res.body, BIG.subarray(first, last + 1));
    });
  }, 60_000);

  it('and still sends whole files and multipart bodies byte for byte', async () => {
    const whole = await within(BOUNDED_WAIT_MS, 'a whole file', fetchBytes(backend.baseUrl, streamPath(BIG_ID)));
    expect(whole.status).toBe(200);
    expectBytes(whole.body, BIG);

    // bytes=0-0 is where s3rver sends the whole object: the service cuts it down.
    const multi = await fetchBytes(backend.baseUrl, streamPath(BIG_ID), { headers: { Range: `bytes=0-0,${MiB}-${MiB + 9},-5` } });
    expect(multi.status).toBe(206);
    const parsed = parseByteRanges(multi.body, boundaryOf(header(multi, 'content-type')) ?? '');
    expect(parsed.parts.map((part) => [part.first, part.last])).toEqual([
      [0, 0],
      [MiB, MiB + 9],
      [BIG.length - 5, BIG.length - 1],
    ]);
    for (const part of parsed.parts) expectBytes(part.body, BIG.subarray(part.first, part.last + 1));
  }, 60_000);
});

describe('S3 backend: HEAD reads no object', () => {
  let backend: StartedS3Backend;

  beforeAll(async () => {
    backend = await startS3Backend(FILES, { prober: idleProber });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it.each<[string, string, Record<string, string>, number]>([
    ['no Range', '', {}, 200],
    ['a single range', '', { Range: 'bytes=0-0' }, 206],
    ['a suffix', '', { Range: 'bytes=-100' }, 206],
    ['several ranges', '', { Range: 'bytes=0-9,100-199' }, 206],
    ['?download=1 and a range', '?download=1', { Range: 'bytes=5-' }, 206],
  ])('HEAD with %s sends HeadObject only, never GetObject', async (_label, query, headers, status) => {
    backend.s3.requests.length = 0;
    const res = await fetchBytes(backend.baseUrl, `${streamPath(BIG_ID)}${query}`, { method: 'HEAD', headers });
    expect(res.status).toBe(status);
    expect(res.body.length).toBe(0);
    expect(backend.s3.requests.length).toBeGreaterThan(0);
    for (const request of backend.s3.requests) {
      expect(request.method).toBe('HEAD');
      expect(request.url).not.toMatch(/GetObject/);
    }
  });

  it('while GET of the same range does read the object (the counter works)', async () => {
    backend.s3.requests.length = 0;
    const res = await fetchBytes(backend.baseUrl, streamPath(BIG_ID), { headers: { Range: 'bytes=10-19' } });
    expect(res.status).toBe(206);
    expectBytes(res.body, BIG.subarray(10, 20));
    const gets = backend.s3.requests.filter((request) => request.method === 'GET');
    expect(gets).toHaveLength(1);
    // Only explicit first-last ranges reach S3.
    expect(gets[0].range).toBe('bytes=10-19');
  });

  it('a suffix and an open range reach S3 as explicit first-last ranges (s3rver serves a suffix as a prefix)', async () => {
    backend.s3.requests.length = 0;
    const suffix = await fetchBytes(backend.baseUrl, streamPath(SMALL_ID), { headers: { Range: 'bytes=-10' } });
    expect(suffix.status).toBe(206);
    expectBytes(suffix.body, SMALL.subarray(SMALL.length - 10));
    const open = await fetchBytes(backend.baseUrl, streamPath(SMALL_ID), { headers: { Range: 'bytes=4000-' } });
    expect(open.status).toBe(206);
    expectBytes(open.body, SMALL.subarray(4000));
    expect(backend.s3.requests.filter((request) => request.method === 'GET').map((request) => request.range)).toEqual([
      `bytes=${SMALL.length - 10}-${SMALL.length - 1}`,
      `bytes=4000-${SMALL.length - 1}`,
    ]);
  });
});

describe('S3 backend: a storage that stops answering', () => {
  let backend: StartedS3Backend;
  const FIXED = 'The media storage is unavailable; try again later.';

  /** JSON error with a fixed message, naming neither the SDK, the server nor a stack. */
  function expectFixed503(res: BytesResponse): void {
    expect(res.status).toBe(503);
    expect(header(res, 'content-type')).toMatch(/^application\/json/);
    const text = res.body.toString('utf8');
    expect(JSON.parse(text)).toEqual({ statusCode: 503, error: STATUS_CODES[503], message: FIXED });
    expectNoLeak(res);
  }

  function expectNoLeak(res: BytesResponse): void {
    const text = `${res.body.toString('utf8')} ${JSON.stringify(res.headers)}`;
    expect(text).not.toMatch(STACK_LINE);
    expect(text).not.toMatch(/ECONNREFUSED|ECONNRESET|HeadObject|GetObject|ListObjects|HeadBucket|S3 |\$metadata|node_modules/);
    for (const secret of backend.secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain(String(backend.s3.port));
  }

  beforeAll(async () => {
    backend = await startS3Backend(FILES, { prefix: 'media/', prober: idleProber });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('works while s3rver runs', async () => {
    const health = await fetchBytes(backend.baseUrl, '/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString('utf8'))).toEqual(expect.objectContaining({ status: 'ok' }));
    const meta = await fetchBytes(backend.baseUrl, `/api/videos/${encodeURIComponent(SMALL_ID)}`);
    expect(meta.status).toBe(200);
    const part = await fetchBytes(backend.baseUrl, streamPath(SMALL_ID), { headers: { Range: 'bytes=1-3' } });
    expect(part.status).toBe(206);
    expectBytes(part.body, SMALL.subarray(1, 4));
    // The listing is not fetched here: it would be cached for LIST_TTL_MS.
  });

  it('answers 503 with a fixed JSON message for metadata, stream and HEAD once s3rver is stopped; the listing is the catalog\'s', async () => {
    await backend.s3.stop();
    const listing = await within(BOUNDED_WAIT_MS, 'the listing', fetchBytes(backend.baseUrl, '/api/videos?q=clip&limit=5'));
    expect(listing.status).toBe(200);
    expectNoLeak(listing);
    const responses = await within(BOUNDED_WAIT_MS, 'requests to a stopped storage', (async () => [
      await fetchBytes(backend.baseUrl, `/api/videos/${encodeURIComponent(BIG_ID)}`),
      await fetchBytes(backend.baseUrl, streamPath(BIG_ID)),
      await fetchBytes(backend.baseUrl, streamPath(BIG_ID), { headers: { Range: 'bytes=0-9' } }),
      await fetchBytes(backend.baseUrl, streamPath(BIG_ID), { headers: { Range: 'bytes=0-9,20-29' } }),
    ])());
    for (const res of responses) expectFixed503(res);
    const head = await fetchBytes(backend.baseUrl, streamPath(BIG_ID), { method: 'HEAD' });
    expect(head.status).toBe(503);
    expect(head.body.length).toBe(0);
    expectNoLeak(head);
  }, 60_000);

  it('/health answers 503 with a fixed message', async () => {
    const res = await within(BOUNDED_WAIT_MS, '/health', fetchBytes(backend.baseUrl, '/health'));
    expect(res.status).toBe(503);
    const body = JSON.parse(res.body.toString('utf8')) as { status: unknown; error?: unknown };
    expect(body.status).toBe('error');
    expect(body.error).toEqual({ media: { status: 'down', message: 'The media storage cannot be read.' } });
    expectNoLeak(res);
  }, 30_000);
});
