/**
 * End-to-end tests of `GET, HEAD /api/videos/:id/stream` against the HTTP
 * contract (CONTRACT.md, "GET, HEAD /api/videos/:id/stream" and "Errors"),
 * with RFC 9110 sections 13 and 14 where the contract is silent. Black-box:
 * real HTTP to the real AppModule, bodies compared byte for byte.
 *
 * The suite is parameterised by storage backend; each backend provides a
 * `start` that serves a given set of files.
 */
import { STATUS_CODES } from 'node:http';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BytesResponse, expectBytes, fetchBytes, header, parseRawResponse, patternBytes, rawExchange } from './support/http.js';
import { ByteRangesPart, boundaryOf, parseByteRanges } from './support/multipart.js';
import { startS3Backend } from './support/s3-backend.js';
import { makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

// ---------------------------------------------------------------------------
// Backends

interface StartOptions {
  /** Extra environment for the app (CACHE_MAX_AGE, STREAM_MAX_RANGE_BYTES, ...). */
  env?: Record<string, string>;
  /** Modification times, in seconds since the epoch (fractions allowed), by ID. */
  mtimes?: Record<string, number>;
}

interface StartedServer {
  baseUrl: string;
  port: number;
  close(): Promise<void>;
  /** Strings no response may ever contain (e.g. the storage's absolute path). */
  secrets: string[];
}

type StartServer = (files: Record<string, Buffer>, options?: StartOptions) => Promise<StartedServer>;

interface Backend {
  backend: string;
  start: StartServer;
  /** setMtime: the test can choose modification times. */
  capabilities: { setMtime: boolean };
}

const startFs: StartServer = async (files, options = {}) => {
  const root = await makeMediaRoot();
  try {
    for (const [id, bytes] of Object.entries(files)) {
      const file = path.join(root, ...id.split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes);
      const mtime = options.mtimes?.[id];
      if (mtime !== undefined) await utimes(file, mtime, mtime);
    }
    const app = await startApp(root, options.env ?? {});
    return {
      baseUrl: app.baseUrl,
      port: app.port,
      secrets: [root],
      close: async () => {
        await app.close();
        await removeRoot(root);
      },
    };
  } catch (error) {
    await removeRoot(root);
    throw error;
  }
};

const BACKENDS: Backend[] = [
  { backend: 'fs', start: startFs, capabilities: { setMtime: true } },
  // S3 servers set LastModified themselves, so tests of fixed dates run on fs only.
  { backend: 's3', start: (files, options) => startS3Backend(files, { ...options, prefix: 'media/' }), capabilities: { setMtime: false } },
];

// ---------------------------------------------------------------------------
// Fixtures

const SIZE = 100 * 1024;
const CLIP = patternBytes(SIZE);
const CLIP_ID = 'clip.mp4';
// A modification time with milliseconds: Last-Modified must truncate it.
const CLIP_MTIME = 1700000000.75;
const CLIP_LAST_MODIFIED = new Date(1700000000 * 1000).toUTCString(); // Tue, 14 Nov 2023 22:13:20 GMT
const EMPTY_ID = 'empty.mp4';
const UNICODE_ID = 'sub dir/ünï code.webm';
const UNICODE = patternBytes(5000, 3);
const CJK_ID = 'sub dir/日本語 clip.mp4';
const CJK = patternBytes(3000, 11);
const UNKNOWN_ID = 'blob.qqq';
const UNKNOWN = patternBytes(2048, 5);
const UPPER_ID = 'LOUD.MP4';
const UPPER = patternBytes(1024, 9);
const HIDDEN_ID = '.hidden.mp4';

const FILES: Record<string, Buffer> = {
  [CLIP_ID]: CLIP,
  [EMPTY_ID]: Buffer.alloc(0),
  [UNICODE_ID]: UNICODE,
  [CJK_ID]: CJK,
  [UNKNOWN_ID]: UNKNOWN,
  [UPPER_ID]: UPPER,
  [HIDDEN_ID]: patternBytes(100, 1),
};
const MEDIA_EXTENSIONS = 'mp4,webm,qqq';

const STRONG_ETAG = /^"[\x21\x23-\x7e\x80-\xff]*"$/;
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const STACK_LINE = /\n\s+at \S.*(:\d+:\d+|\(native\))/;

function streamPath(id: string, query = ''): string {
  return `/api/videos/${encodeURIComponent(id)}/stream${query}`;
}


/** The media type of a Content-Type, without parameters, lower-cased. */
function essence(value: string | undefined): string | undefined {
  return value?.split(';')[0].trim().toLowerCase();
}


/** Decodes a chunked body, for raw responses sent without Content-Length. */
function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let position = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', position, 'latin1');
    if (lineEnd < 0) throw new Error('chunked body cut short');
    const length = parseInt(body.subarray(position, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(length)) throw new Error('bad chunk size');
    position = lineEnd + 2;
    if (length === 0) return Buffer.concat(out);
    out.push(body.subarray(position, position + length));
    position += length + 2;
  }
}

function rawBody(res: BytesResponse): Buffer {
  return /chunked/i.test(header(res, 'transfer-encoding') ?? '') ? dechunk(res.body) : res.body;
}

// ---------------------------------------------------------------------------

describe.each<Backend>(BACKENDS)('stream contract ($backend backend)', ({ start, capabilities }) => {
  /** For tests whose dates are relative to CLIP_MTIME, which only the fs backend can set. */
  const itMtime = capabilities.setMtime ? it : it.skip;
  let server: StartedServer;
  let etag: string;
  /** Every response seen, for the sweep for paths and stack traces at the end. */
  const seen: BytesResponse[] = [];
  const secrets: string[] = [];

  async function request(
    target: StartedServer,
    requestPath: string,
    headers: Record<string, string> = {},
    method = 'GET',
  ): Promise<BytesResponse> {
    const res = await fetchBytes(target.baseUrl, requestPath, { method, headers });
    seen.push(res);
    return res;
  }

  const get = (requestPath: string, headers: Record<string, string> = {}): Promise<BytesResponse> =>
    request(server, requestPath, headers);

  /** A request written by hand on its own connection; `lines` are extra header lines. */
  async function raw(
    target: StartedServer,
    method: string,
    requestPath: string,
    lines: Array<string | Buffer> = [],
    body: Buffer = Buffer.alloc(0),
  ): Promise<BytesResponse> {
    const text = Buffer.concat([
      Buffer.from(`${method} ${requestPath} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\n`, 'latin1'),
      ...lines.map((line) => Buffer.concat([typeof line === 'string' ? Buffer.from(line, 'latin1') : line, Buffer.from('\r\n')])),
      Buffer.from('Connection: close\r\n\r\n', 'latin1'),
      body,
    ]);
    const bytes = await rawExchange(target.port, text);
    expect(bytes.length).toBeGreaterThan(0);
    const res = parseRawResponse(bytes);
    seen.push(res);
    return res;
  }

  /** HEAD on a raw connection, proving that not one body byte follows the headers. */
  async function headRaw(target: StartedServer, requestPath: string, headers: Record<string, string> = {}): Promise<BytesResponse> {
    const res = await raw(
      target,
      'HEAD',
      requestPath,
      Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    );
    expect(res.body.length).toBe(0);
    return res;
  }

  function expectRepresentationHeaders(res: BytesResponse, type: string, maxAge = 3600): void {
    expect(header(res, 'accept-ranges')).toBe('bytes');
    expect(essence(header(res, 'content-type'))).toBe(type);
    expect(header(res, 'content-length')).toBe(String(res.body.length));
    expect(header(res, 'etag')).toMatch(STRONG_ETAG);
    expect(header(res, 'last-modified')).toMatch(IMF_FIXDATE);
    expect(header(res, 'cache-control')).toBe(`public, max-age=${maxAge}`);
  }

  function expectWhole(res: BytesResponse, source: Buffer, type = 'video/mp4'): void {
    expect(res.status).toBe(200);
    expect(header(res, 'content-range')).toBeUndefined();
    expectBytes(res.body, source);
    expectRepresentationHeaders(res, type);
  }

  function expectSingle(res: BytesResponse, source: Buffer, first: number, last: number, type = 'video/mp4'): void {
    expect(res.status).toBe(206);
    expect(header(res, 'content-range')).toBe(`bytes ${first}-${last}/${source.length}`);
    expect(header(res, 'content-length')).toBe(String(last - first + 1));
    expectBytes(res.body, source.subarray(first, last + 1));
    expectRepresentationHeaders(res, type);
  }

  function multipartOf(res: BytesResponse): ByteRangesPart[] {
    const boundary = boundaryOf(header(res, 'content-type'));
    expect(boundary).not.toBeNull();
    const parsed = parseByteRanges(res.body, boundary ?? '');
    expect(parsed.closed).toBe(true);
    expect(['', '\r\n']).toContain(parsed.epilogue.toString('latin1'));
    expect(header(res, 'content-length')).toBe(String(res.body.length));
    return parsed.parts;
  }

  function expectMultipart(res: BytesResponse, source: Buffer, ranges: Array<[number, number]>, type = 'video/mp4'): void {
    expect(res.status).toBe(206);
    expect(essence(header(res, 'content-type'))).toBe('multipart/byteranges');
    expect(header(res, 'content-range')).toBeUndefined();
    expect(header(res, 'accept-ranges')).toBe('bytes');
    expect(header(res, 'etag')).toMatch(STRONG_ETAG);
    expect(header(res, 'last-modified')).toMatch(IMF_FIXDATE);
    expect(header(res, 'cache-control')).toMatch(/^public, max-age=\d+$/);
    const parts = multipartOf(res);
    expect(parts.map((part) => [part.first, part.last])).toEqual(ranges);
    for (const part of parts) {
      expect(essence(part.headers['content-type'])).toBe(type);
      expect(part.headers['content-range']).toBe(`bytes ${part.first}-${part.last}/${source.length}`);
      expectBytes(part.body, source.subarray(part.first, part.last + 1));
    }
  }

  /**
   * The ranges a 206 sent, single-part or multipart, each checked against the
   * source; for answers the contract leaves open (merge or not).
   */
  function sentRanges(res: BytesResponse, source: Buffer): Array<[number, number]> {
    expect(res.status).toBe(206);
    if (essence(header(res, 'content-type')) === 'multipart/byteranges') {
      const parts = multipartOf(res);
      for (const part of parts) {
        expect(part.size).toBe(source.length);
        expectBytes(part.body, source.subarray(part.first, part.last + 1));
      }
      return parts.map((part) => [part.first, part.last]);
    }
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header(res, 'content-range') ?? '');
    expect(match).not.toBeNull();
    const [first, last, size] = (match ?? []).slice(1).map(Number);
    expect(size).toBe(source.length);
    expect(header(res, 'content-length')).toBe(String(res.body.length));
    expectBytes(res.body, source.subarray(first, last + 1));
    return [[first, last]];
  }

  /** 416 with `Content-Range: bytes *\/size`; a body, if any, is the JSON error. */
  function expect416(res: BytesResponse, size: number): void {
    expect(res.status).toBe(416);
    expect(header(res, 'content-range')).toBe(`bytes */${size}`);
    expectEmptyOrJsonError(res, 416);
  }

  function expectEmptyOrJsonError(res: BytesResponse, status: number): void {
    if (res.body.length > 0) expectJsonError(res, status);
  }

  function expectJsonError(res: BytesResponse, status: number): void {
    expect(res.status).toBe(status);
    expect(essence(header(res, 'content-type'))).toBe('application/json');
    const body: unknown = JSON.parse(res.body.toString('utf8'));
    expect(body).toEqual(
      expect.objectContaining({ statusCode: status, error: STATUS_CODES[status] }),
    );
    const message = (body as { message: unknown }).message;
    const ok =
      typeof message === 'string' ||
      (Array.isArray(message) && message.length > 0 && message.every((item) => typeof item === 'string'));
    expect(ok).toBe(true);
    expect(res.body.toString('utf8')).not.toMatch(STACK_LINE);
  }

  /** A response that is correct whatever it chose to do with a strange request. */
  function expectConsistent(res: BytesResponse, source: Buffer): void {
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(500);
    if (res.status === 200) {
      expectBytes(res.body, source);
    } else if (res.status === 206) {
      const ranges = sentRanges(res, source);
      const total = ranges.reduce((sum, [first, last]) => sum + last - first + 1, 0);
      expect(total).toBeLessThanOrEqual(source.length);
    } else if (res.status === 416) {
      expect(header(res, 'content-range')).toBe(`bytes */${source.length}`);
    } else {
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
  }

  beforeAll(async () => {
    server = await start(FILES, { env: { MEDIA_EXTENSIONS }, mtimes: { [CLIP_ID]: CLIP_MTIME } });
    secrets.push(...server.secrets);
    const res = await get(streamPath(CLIP_ID));
    expect(res.status).toBe(200);
    etag = header(res, 'etag') ?? '';
    expect(etag).toMatch(STRONG_ETAG);
  });

  afterAll(async () => {
    await server?.close();
  });

  // -------------------------------------------------------------------------
  describe('200: the whole file', () => {
    it('sends every byte with Accept-Ranges, Content-Type, Content-Length, strong ETag, Last-Modified, Cache-Control', async () => {
      const res = await get(streamPath(CLIP_ID));
      expectWhole(res, CLIP);
      expect(header(res, 'content-length')).toBe(String(SIZE));
      expect(header(res, 'etag')).toBe(etag);
      expect(header(res, 'etag')?.startsWith('W/')).toBe(false);
      expect(header(res, 'cache-control')).toBe('public, max-age=3600');
      expect(header(res, 'content-disposition')).toBeUndefined();
    });

    itMtime('states Last-Modified as the modification time truncated to the second', async () => {
      const res = await get(streamPath(CLIP_ID));
      expect(header(res, 'last-modified')).toBe(CLIP_LAST_MODIFIED);
    });

    it('gives the same strong ETag as the item metadata and keeps it across requests', async () => {
      const meta = await get(`/api/videos/${encodeURIComponent(CLIP_ID)}`);
      expect(meta.status).toBe(200);
      const view = JSON.parse(meta.body.toString('utf8')) as { etag: string; size: number };
      expect(view.etag).toBe(etag);
      expect(view.size).toBe(SIZE);
      const again = await get(streamPath(CLIP_ID));
      expect(header(again, 'etag')).toBe(etag);
    });

    it('serves a file in a subfolder with a non-ASCII name, typed from its extension', async () => {
      const res = await get(streamPath(UNICODE_ID));
      expectWhole(res, UNICODE, 'video/webm');
    });

    it('types an extension it does not know as application/octet-stream', async () => {
      const res = await get(streamPath(UNKNOWN_ID));
      expectWhole(res, UNKNOWN, 'application/octet-stream');
    });

    it('compares extensions case-insensitively', async () => {
      const res = await get(streamPath(UPPER_ID));
      expectWhole(res, UPPER, 'video/mp4');
    });

    it('answers an empty file with 200, Content-Length 0 and the representation headers', async () => {
      const res = await get(streamPath(EMPTY_ID));
      expectWhole(res, Buffer.alloc(0));
      expect(header(res, 'content-length')).toBe('0');
    });

    it('never serves a dotfile (404)', async () => {
      const res = await get(streamPath(HIDDEN_ID));
      expectJsonError(res, 404);
    });
  });

  // -------------------------------------------------------------------------
  describe('206: one satisfiable range', () => {
    it.each([
      ['bytes=0-9', 0, 9],
      ['bytes=100-199', 100, 199],
      ['bytes=0-0', 0, 0],
      ['bytes=102399-102399', SIZE - 1, SIZE - 1],
      ['bytes=0-102399', 0, SIZE - 1],
      ['bytes=65530-65545', 65530, 65545],
    ])('%s: first-last', async (range, first, last) => {
      expectSingle(await get(streamPath(CLIP_ID), { Range: range }), CLIP, first, last);
    });

    it.each([
      ['bytes=102000-', 102000, SIZE - 1],
      ['bytes=0-', 0, SIZE - 1],
      ['bytes=102399-', SIZE - 1, SIZE - 1],
    ])('%s: first- to the end', async (range, first, last) => {
      expectSingle(await get(streamPath(CLIP_ID), { Range: range }), CLIP, first, last);
    });

    it.each([
      ['bytes=-500', SIZE - 500, SIZE - 1],
      ['bytes=-1', SIZE - 1, SIZE - 1],
      ['bytes=-102400', 0, SIZE - 1],
    ])('%s: a suffix', async (range, first, last) => {
      expectSingle(await get(streamPath(CLIP_ID), { Range: range }), CLIP, first, last);
    });

    it.each([
      ['bytes=100-102400', 100],
      ['bytes=100-200000', 100],
      ['bytes=100-99999999999999999999999999999999999999', 100],
      ['bytes=0-9007199254740993', 0],
    ])('%s: an end past the file, however many digits, is clipped to the last byte', async (range, first) => {
      expectSingle(await get(streamPath(CLIP_ID), { Range: range }), CLIP, first, SIZE - 1);
    });

    it.each(['bytes=-102401', 'bytes=-200000', 'bytes=-99999999999999999999999999999'])(
      '%s: a suffix longer than the file is the whole file as 206 0-(size-1)',
      async (range) => {
        expectSingle(await get(streamPath(CLIP_ID), { Range: range }), CLIP, 0, SIZE - 1);
      },
    );

    it.each(['BYTES=0-9', 'Bytes=0-9', 'bYtEs=0-9'])('%s: the unit name is case-insensitive', async (range) => {
      expectSingle(await get(streamPath(CLIP_ID), { Range: range }), CLIP, 0, 9);
    });

    it.each(['bytes =0-9', 'bytes= 0-9', 'bytes = 0-9', 'bytes=\t0-9', 'bytes=0-9 ', ' bytes=0-9'])(
      '%j: whitespace around "=" is allowed',
      async (range) => {
        expectSingle(await get(streamPath(CLIP_ID), { Range: range }), CLIP, 0, 9);
      },
    );

    it.each(['bytes=0-9,', 'bytes=,0-9', 'bytes=,,0-9,,', 'bytes=0-9 , ', 'bytes= , 0-9'])(
      '%j: empty list elements are skipped',
      async (range) => {
        expectSingle(await get(streamPath(CLIP_ID), { Range: range }), CLIP, 0, 9);
      },
    );

    it('bytes=-0,0-9: an unsatisfiable spec beside a satisfiable one leaves the satisfiable one', async () => {
      expectSingle(await get(streamPath(CLIP_ID), { Range: 'bytes=-0,0-9' }), CLIP, 0, 9);
    });

    it('bytes=0-9,200000-200010: an unsatisfiable range past the end is dropped', async () => {
      const res = await get(streamPath(CLIP_ID), { Range: 'bytes=0-9,200000-200010' });
      expect(sentRanges(res, CLIP)).toEqual([[0, 9]]);
    });

    it('applies ranges to a file in a subfolder with a non-ASCII name', async () => {
      expectSingle(await get(streamPath(UNICODE_ID), { Range: 'bytes=4990-' }), UNICODE, 4990, 4999, 'video/webm');
    });

    it('applies ranges to a file of unknown type', async () => {
      expectSingle(await get(streamPath(UNKNOWN_ID), { Range: 'bytes=-48' }), UNKNOWN, 2000, 2047, 'application/octet-stream');
    });
  });

  // -------------------------------------------------------------------------
  describe('206: several ranges as multipart/byteranges', () => {
    it('frames three disjoint ranges with a boundary, per-part Content-Type and Content-Range, and a close delimiter', async () => {
      const res = await get(streamPath(CLIP_ID), { Range: 'bytes=0-9,20-29,100-199' });
      expectMultipart(res, CLIP, [[0, 9], [20, 29], [100, 199]]);
      expect(header(res, 'content-length')).toBe(String(res.body.length));
    });

    it('frames the first and the last byte (0-0,-1)', async () => {
      expectMultipart(await get(streamPath(CLIP_ID), { Range: 'bytes=0-0,-1' }), CLIP, [[0, 0], [SIZE - 1, SIZE - 1]]);
    });

    it('keeps the order in which the client asked (RFC 9110 14.6)', async () => {
      expectMultipart(await get(streamPath(CLIP_ID), { Range: 'bytes=500-599,0-9' }), CLIP, [[500, 599], [0, 9]]);
    });

    it('allows whitespace around commas and empty elements between ranges', async () => {
      for (const range of ['bytes=0-9 , 20-29', 'bytes=0-9,\t20-29', 'bytes = 0-9 ,, 20-29 ,']) {
        expectMultipart(await get(streamPath(CLIP_ID), { Range: range }), CLIP, [[0, 9], [20, 29]]);
      }
    });

    it('clips each part: an open end, a long end and a long suffix across parts', async () => {
      expectMultipart(
        await get(streamPath(CLIP_ID), { Range: 'bytes=0-1,102300-999999999999999999999' }),
        CLIP,
        [[0, 1], [102300, SIZE - 1]],
      );
    });

    it('frames parts of a file of unknown type as application/octet-stream', async () => {
      expectMultipart(
        await get(streamPath(UNKNOWN_ID), { Range: 'bytes=0-9,1000-1009' }),
        UNKNOWN,
        [[0, 9], [1000, 1009]],
        'application/octet-stream',
      );
    });

    it.each([
      ['bytes=0-99,50-149', 0, 149],
      ['bytes=0-9,10-19', 0, 19],
      ['bytes=10-19,0-9', 0, 19],
      ['bytes=0-9,0-9', 0, 9],
      ['bytes=100-,-200', 100, SIZE - 1],
      ['bytes=0-,5-10', 0, SIZE - 1],
    ])('%s: overlapping or adjacent ranges send the right bytes, and merged to one are a single-part 206', async (range, first, last) => {
      const res = await get(streamPath(CLIP_ID), { Range: range });
      const ranges = sentRanges(res, CLIP);
      if (ranges.length === 1) {
        // Merged: a single-part 206 that covers exactly the union.
        expect(essence(header(res, 'content-type'))).toBe('video/mp4');
        expect(ranges).toEqual([[first, last]]);
      } else {
        // Not merged: every byte of the union and nothing else, and never more than the file.
        const covered = new Set<number>();
        for (const [a, b] of ranges) for (let i = a; i <= b; i++) covered.add(i);
        expect(Math.min(...covered)).toBe(first);
        expect(Math.max(...covered)).toBe(last);
        expect(covered.size).toBe(last - first + 1);
        expect(ranges.reduce((sum, [a, b]) => sum + b - a + 1, 0)).toBeLessThanOrEqual(SIZE);
      }
    });

    it('never sends a body larger than the file plus framing for ranges that add up to more than the file', async () => {
      for (const range of ['bytes=0-,0-', 'bytes=0-60000,1-60001', 'bytes=-102400,0-', `bytes=${Array(50).fill('0-').join(',')}`]) {
        const res = await get(streamPath(CLIP_ID), { Range: range });
        expect([200, 206, 416]).toContain(res.status);
        expectConsistent(res, CLIP);
      }
    });

    it('answers more than 100 disjoint ranges with 200 or 416 (or honestly), never more than the file plus framing', async () => {
      const range = `bytes=${Array.from({ length: 101 }, (_, i) => `${i * 10}-${i * 10 + 1}`).join(',')}`;
      const res = await get(streamPath(CLIP_ID), { Range: range });
      expect([200, 206, 416]).toContain(res.status);
      expectConsistent(res, CLIP);
      if (res.status === 206) {
        expect(sentRanges(res, CLIP)).toEqual(Array.from({ length: 101 }, (_, i) => [i * 10, i * 10 + 1]));
      }
    });

    it('answers 1000 overlapping ranges without multiplying the body', async () => {
      const range = `bytes=${Array.from({ length: 1000 }, (_, i) => `${i}-${SIZE - 1}`).join(',')}`;
      const res = await get(streamPath(CLIP_ID), { Range: range });
      expect([200, 206, 416]).toContain(res.status);
      expectConsistent(res, CLIP);
      expect(res.body.length).toBeLessThan(2 * SIZE);
    });

    it('a multipart answer of HEAD has the same status and type as GET and no body', async () => {
      const got = await get(streamPath(CLIP_ID), { Range: 'bytes=0-9,20-29' });
      const res = await headRaw(server, streamPath(CLIP_ID), { Range: 'bytes=0-9,20-29' });
      expect(res.status).toBe(got.status);
      expect(essence(header(res, 'content-type'))).toBe('multipart/byteranges');
      expect(boundaryOf(header(res, 'content-type'))).not.toBeNull();
      expect(Number(header(res, 'content-length'))).toBeGreaterThan(20);
    });
  });

  // -------------------------------------------------------------------------
  describe('416: no satisfiable range', () => {
    it.each([
      'bytes=102400-',
      'bytes=102400-102400',
      'bytes=102400-200000',
      'bytes=200000-',
      'bytes=9007199254740991-',
      'bytes=-0',
      'bytes=-0,-0',
      'bytes=102400-,200000-300000',
      'BYTES = 102400- ,',
    ])('%s → 416 with Content-Range bytes */size', async (range) => {
      expect416(await get(streamPath(CLIP_ID), { Range: range }), SIZE);
    });

    it.each(['bytes=0-', 'bytes=0-0', 'bytes=0-9', 'bytes=-1', 'bytes=-100', 'bytes=-0', 'bytes=0-0,-5'])(
      '%s on an empty file → 416 with Content-Range bytes */0',
      async (range) => {
        expect416(await get(streamPath(EMPTY_ID), { Range: range }), 0);
      },
    );
  });

  // -------------------------------------------------------------------------
  describe('an invalid Range header is ignored (200, whole file)', () => {
    it.each([
      'items=0-9',
      'bits=0-9',
      'bytes 0-9',
      '0-9',
      'bytes',
      'bytes=',
      'bytes=,',
      'bytes=-',
      'bytes=a-b',
      'bytes=1-x',
      'bytes=x-9',
      'bytes=0x10-0x20',
      'bytes=1e3-2000',
      'bytes=+5-10',
      'bytes=-+5',
      'bytes=5.0-10',
      'bytes=--5',
      'bytes=1-2-3',
      'bytes=0 -9',
      'bytes=0- 9',
      'bytes=10-5',
      'bytes=0-9,10-5',
      'bytes=0-9,abc',
      'bytes=99999999999999999999999-',
      'bytes=99999999999999999999999-99999999999999999999999',
      'bytes=0-9;q=1',
    ])('%j', async (range) => {
      expectWhole(await get(streamPath(CLIP_ID), { Range: range }), CLIP);
    });

    it('an invalid Range on an empty file is ignored too (200)', async () => {
      expectWhole(await get(streamPath(EMPTY_ID), { Range: 'bytes=5-1' }), Buffer.alloc(0));
    });
  });

  // -------------------------------------------------------------------------
  describe('preconditions (RFC 9110 13.2.2)', () => {
    it('If-Match with the current strong ETag proceeds', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { 'If-Match': etag }), CLIP);
    });

    it('If-Match "*" proceeds', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { 'If-Match': '*' }), CLIP);
    });

    it('If-Match with a list containing the current ETag proceeds', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { 'If-Match': `"nope", ${etag}` }), CLIP);
    });

    it('If-Match with the current ETag keeps the range', async () => {
      expectSingle(await get(streamPath(CLIP_ID), { 'If-Match': etag, Range: 'bytes=5-14' }), CLIP, 5, 14);
    });

    it.each([
      ['another tag', '"nope"'],
      ['a list of other tags', '"a", "b"'],
    ])('If-Match with %s → 412', async (_label, value) => {
      const res = await get(streamPath(CLIP_ID), { 'If-Match': value });
      expect(res.status).toBe(412);
      expectEmptyOrJsonError(res, 412);
    });

    it('If-Match with the weak form of the current tag → 412 (strong comparison)', async () => {
      const res = await get(streamPath(CLIP_ID), { 'If-Match': `W/${etag}` });
      expect(res.status).toBe(412);
      expectEmptyOrJsonError(res, 412);
    });

    it('a failed If-Match wins over a Range (412, not 206)', async () => {
      const res = await get(streamPath(CLIP_ID), { 'If-Match': '"nope"', Range: 'bytes=0-9' });
      expect(res.status).toBe(412);
      expectEmptyOrJsonError(res, 412);
    });

    it('a failed If-Match wins over a matching If-None-Match (412, not 304)', async () => {
      const res = await get(streamPath(CLIP_ID), { 'If-Match': '"nope"', 'If-None-Match': etag });
      expect(res.status).toBe(412);
    });

    it('If-Unmodified-Since in the past → 412', async () => {
      const res = await get(streamPath(CLIP_ID), { 'If-Unmodified-Since': 'Sat, 01 Jan 2000 00:00:00 GMT' });
      expect(res.status).toBe(412);
      expectEmptyOrJsonError(res, 412);
    });

    itMtime('If-Unmodified-Since one second before Last-Modified → 412', async () => {
      const res = await get(streamPath(CLIP_ID), {
        'If-Unmodified-Since': new Date(1700000000 * 1000 - 1000).toUTCString(),
      });
      expect(res.status).toBe(412);
    });

    itMtime('If-Unmodified-Since equal to Last-Modified (the truncated second) proceeds', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { 'If-Unmodified-Since': CLIP_LAST_MODIFIED }), CLIP);
    });

    itMtime('If-Unmodified-Since later than Last-Modified proceeds', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { 'If-Unmodified-Since': 'Fri, 01 Dec 2023 00:00:00 GMT' }), CLIP);
    });

    it('If-Unmodified-Since that is not an HTTP-date is ignored', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { 'If-Unmodified-Since': 'yesterday' }), CLIP);
    });

    it('If-Unmodified-Since is ignored when If-Match is present', async () => {
      expectWhole(
        await get(streamPath(CLIP_ID), { 'If-Match': etag, 'If-Unmodified-Since': 'Sat, 01 Jan 2000 00:00:00 GMT' }),
        CLIP,
      );
    });

    it('If-None-Match with the current ETag → 304 with ETag, Cache-Control and no body', async () => {
      const res = await get(streamPath(CLIP_ID), { 'If-None-Match': etag });
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
      expect(header(res, 'etag')).toBe(etag);
      expect(header(res, 'cache-control')).toBe('public, max-age=3600');
      expect(header(res, 'content-range')).toBeUndefined();
    });

    it.each([
      ['the weak form of the current tag (weak comparison)', (tag: string) => `W/${tag}`],
      ['"*"', () => '*'],
      ['a list containing the current tag', (tag: string) => `"a", ${tag}, "b"`],
      ['a list containing the weak form', (tag: string) => `"a",W/${tag}`],
    ])('If-None-Match with %s → 304', async (_label, value) => {
      const res = await get(streamPath(CLIP_ID), { 'If-None-Match': value(etag) });
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
      expect(header(res, 'etag')).toBe(etag);
    });

    it('If-None-Match with another tag proceeds (200)', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { 'If-None-Match': '"nope", W/"other"' }), CLIP);
    });

    it('a matching If-None-Match wins over a Range (304, not 206)', async () => {
      const res = await get(streamPath(CLIP_ID), { 'If-None-Match': etag, Range: 'bytes=0-9' });
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
    });

    it('a matching If-None-Match wins over an unsatisfiable Range (304, not 416)', async () => {
      const res = await get(streamPath(CLIP_ID), { 'If-None-Match': etag, Range: 'bytes=999999-' });
      expect(res.status).toBe(304);
    });

    it('304 sends no body bytes at all on the wire', async () => {
      const res = await raw(server, 'GET', streamPath(CLIP_ID), [`If-None-Match: ${etag}`]);
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
      expect(header(res, 'etag')).toBe(etag);
    });

    itMtime('If-Modified-Since equal to Last-Modified → 304 (one-second resolution)', async () => {
      const res = await get(streamPath(CLIP_ID), { 'If-Modified-Since': CLIP_LAST_MODIFIED });
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
      expect(header(res, 'etag')).toBe(etag);
    });

    itMtime('If-Modified-Since later than Last-Modified → 304', async () => {
      const res = await get(streamPath(CLIP_ID), { 'If-Modified-Since': 'Tue, 14 Nov 2023 23:00:00 GMT' });
      expect(res.status).toBe(304);
    });

    itMtime.each([
      ['RFC 850', 'Tuesday, 14-Nov-23 22:13:20 GMT'],
      ['asctime', 'Tue Nov 14 22:13:20 2023'],
    ])('If-Modified-Since in the obsolete %s form is understood (RFC 9110 5.6.7)', async (_form, date) => {
      expect((await get(streamPath(CLIP_ID), { 'If-Modified-Since': date })).status).toBe(304);
    });

    itMtime('If-Modified-Since one second before Last-Modified proceeds (200)', async () => {
      expectWhole(
        await get(streamPath(CLIP_ID), { 'If-Modified-Since': new Date(1700000000 * 1000 - 1000).toUTCString() }),
        CLIP,
      );
    });

    itMtime('If-Modified-Since that is not an HTTP-date is ignored', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { 'If-Modified-Since': '2023-11-14T22:13:20Z' }), CLIP);
    });

    itMtime('If-Modified-Since is ignored when If-None-Match is present', async () => {
      expectWhole(
        await get(streamPath(CLIP_ID), { 'If-None-Match': '"nope"', 'If-Modified-Since': CLIP_LAST_MODIFIED }),
        CLIP,
      );
    });

    it('If-Modified-Since that fails keeps the range (206)', async () => {
      expectSingle(
        await get(streamPath(CLIP_ID), { 'If-Modified-Since': 'Sat, 01 Jan 2000 00:00:00 GMT', Range: 'bytes=0-9' }),
        CLIP,
        0,
        9,
      );
    });

    it('If-None-Match applies to an empty file too (304)', async () => {
      const first = await get(streamPath(EMPTY_ID));
      const res = await get(streamPath(EMPTY_ID), { 'If-None-Match': header(first, 'etag') ?? '' });
      expect(res.status).toBe(304);
    });
  });

  // -------------------------------------------------------------------------
  describe('If-Range', () => {
    it('with the current strong ETag keeps the range (206)', async () => {
      expectSingle(await get(streamPath(CLIP_ID), { Range: 'bytes=0-9', 'If-Range': etag }), CLIP, 0, 9);
    });

    it('with the current ETag keeps a multipart range (206)', async () => {
      expectMultipart(await get(streamPath(CLIP_ID), { Range: 'bytes=0-9,20-29', 'If-Range': etag }), CLIP, [[0, 9], [20, 29]]);
    });

    it('with the weak form of the current tag → 200 whole file', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { Range: 'bytes=0-9', 'If-Range': `W/${etag}` }), CLIP);
    });

    it('with a stale tag → 200 whole file', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { Range: 'bytes=0-9', 'If-Range': '"stale"' }), CLIP);
    });

    it('with a stale tag and an unsatisfiable range → 200 whole file, not 416', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { Range: 'bytes=999999-', 'If-Range': '"stale"' }), CLIP);
    });

    itMtime('with exactly the Last-Modified date keeps the range (206)', async () => {
      expectSingle(await get(streamPath(CLIP_ID), { Range: 'bytes=10-19', 'If-Range': CLIP_LAST_MODIFIED }), CLIP, 10, 19);
    });

    itMtime.each([
      ['one second earlier', new Date(1700000000 * 1000 - 1000).toUTCString()],
      ['one second later', new Date(1700000000 * 1000 + 1000).toUTCString()],
      ['long ago', 'Sat, 01 Jan 2000 00:00:00 GMT'],
      ['not a date', 'tomorrow'],
    ])('with another date (%s) → 200 whole file', async (_label, value) => {
      expectWhole(await get(streamPath(CLIP_ID), { Range: 'bytes=10-19', 'If-Range': value }), CLIP);
    });

    it('without a Range is ignored (200 whole file)', async () => {
      expectWhole(await get(streamPath(CLIP_ID), { 'If-Range': etag }), CLIP);
    });
  });

  // -------------------------------------------------------------------------
  describe('HEAD answers the headers GET would, with no body', () => {
    const COMPARED = [
      'accept-ranges',
      'content-type',
      'content-length',
      'content-range',
      'etag',
      'last-modified',
      'cache-control',
      'content-disposition',
    ];

    async function compareHeadWithGet(requestPath: string, headers: Record<string, string>, status: number): Promise<void> {
      const got = await get(requestPath, headers);
      const res = await headRaw(server, requestPath, headers);
      expect(got.status).toBe(status);
      expect(res.status).toBe(status);
      for (const name of COMPARED) {
        expect([name, header(res, name)]).toEqual([name, header(got, name)]);
      }
    }

    it('200', async () => {
      await compareHeadWithGet(streamPath(CLIP_ID), {}, 200);
    });

    it('200 for an empty file', async () => {
      await compareHeadWithGet(streamPath(EMPTY_ID), {}, 200);
    });

    it('200 for a non-ASCII name in a subfolder', async () => {
      await compareHeadWithGet(streamPath(UNICODE_ID), {}, 200);
    });

    it('206', async () => {
      await compareHeadWithGet(streamPath(CLIP_ID), { Range: 'bytes=100-199' }, 206);
    });

    it('206 for a suffix', async () => {
      await compareHeadWithGet(streamPath(CLIP_ID), { Range: 'bytes=-300' }, 206);
    });

    it('416', async () => {
      await compareHeadWithGet(streamPath(CLIP_ID), { Range: 'bytes=102400-' }, 416);
    });

    it('416 on an empty file', async () => {
      await compareHeadWithGet(streamPath(EMPTY_ID), { Range: 'bytes=-5' }, 416);
    });

    it('304 (If-None-Match)', async () => {
      await compareHeadWithGet(streamPath(CLIP_ID), { 'If-None-Match': etag }, 304);
    });

    itMtime('304 (If-Modified-Since)', async () => {
      await compareHeadWithGet(streamPath(CLIP_ID), { 'If-Modified-Since': CLIP_LAST_MODIFIED }, 304);
    });

    it('412', async () => {
      await compareHeadWithGet(streamPath(CLIP_ID), { 'If-Match': '"nope"' }, 412);
    });

    it('200 with If-Range stale', async () => {
      await compareHeadWithGet(streamPath(CLIP_ID), { Range: 'bytes=0-9', 'If-Range': '"stale"' }, 200);
    });

    it('206 with ?download=1', async () => {
      await compareHeadWithGet(streamPath(UNICODE_ID, '?download=1'), { Range: 'bytes=0-9' }, 206);
    });

    it('404 for an unknown ID', async () => {
      const res = await headRaw(server, streamPath('nope.mp4'));
      expect(res.status).toBe(404);
    });
  });

  // -------------------------------------------------------------------------
  describe('?download=1', () => {
    /** Parameters of a Content-Disposition value, names lower-cased. */
    function dispositionOf(value: string | undefined): { type: string; params: Record<string, string> } {
      expect(value).toBeDefined();
      const text = value ?? '';
      const semi = text.indexOf(';');
      const type = (semi < 0 ? text : text.slice(0, semi)).trim().toLowerCase();
      const params: Record<string, string> = {};
      const param = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;"]*)\s*/y;
      let consumed = semi < 0 ? text.length : semi;
      param.lastIndex = consumed;
      let match: RegExpExecArray | null;
      while ((match = param.exec(text)) !== null) {
        const value = match[2];
        params[match[1].toLowerCase()] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
        consumed = param.lastIndex;
      }
      // The whole value is type and parameters, nothing left over.
      expect(consumed).toBe(text.length);
      return { type, params };
    }

    it('adds Content-Disposition: attachment with the item name', async () => {
      const res = await get(streamPath(CLIP_ID, '?download=1'));
      expectWhole(res, CLIP);
      const { type, params } = dispositionOf(header(res, 'content-disposition'));
      expect(type).toBe('attachment');
      expect(params.filename).toBe('clip.mp4');
    });

    it.each([
      [UNICODE_ID, 'ünï code.webm', UNICODE, 'video/webm'],
      [CJK_ID, '日本語 clip.mp4', CJK, 'video/mp4'],
    ])('%s: a non-ASCII name gets an ASCII filename fallback and filename*=UTF-8\'\'... (RFC 8187)', async (id, name, bytes, type) => {
      const res = await get(streamPath(id, '?download=1'));
      expectWhole(res, bytes, type);
      const value = header(res, 'content-disposition') ?? '';
      // The header itself is ASCII: non-ASCII travels only percent-encoded in filename*.
      expect(value).toMatch(/^[\x20-\x7e]*$/);
      const { type: dispositionType, params } = dispositionOf(value);
      expect(dispositionType).toBe('attachment');
      expect(params.filename).toBeDefined();
      expect(params.filename).toMatch(/^[\x20-\x7e]+$/);
      expect(params['filename*']).toMatch(/^UTF-8''[A-Za-z0-9!#$&+.^_`|~%-]+$/i);
      const encoded = (params['filename*'] ?? '').replace(/^UTF-8''/i, '');
      expect(decodeURIComponent(encoded)).toBe(name);
    });

    it('ranges still apply with download=1', async () => {
      const res = await get(streamPath(UNICODE_ID, '?download=1'), { Range: 'bytes=10-29' });
      expectSingle(res, UNICODE, 10, 29, 'video/webm');
      expect(dispositionOf(header(res, 'content-disposition')).type).toBe('attachment');
    });

    it('multipart ranges still apply with download=1', async () => {
      const res = await get(streamPath(CLIP_ID, '?download=1'), { Range: 'bytes=0-9,50-59' });
      expectMultipart(res, CLIP, [[0, 9], [50, 59]]);
      expect(dispositionOf(header(res, 'content-disposition')).params.filename).toBe('clip.mp4');
    });

    it('no Content-Disposition without download, or with download=0', async () => {
      expect(header(await get(streamPath(CLIP_ID)), 'content-disposition')).toBeUndefined();
      expect(header(await get(streamPath(CLIP_ID, '?download=0')), 'content-disposition')).toBeUndefined();
    });
  });

  // -------------------------------------------------------------------------
  describe('errors', () => {
    it('an unknown ID → 404 JSON {statusCode, error, message}', async () => {
      expectJsonError(await get(streamPath('nope.mp4')), 404);
    });

    it('an unknown ID in a subfolder → 404 JSON', async () => {
      expectJsonError(await get(streamPath('sub dir/nope.webm')), 404);
    });

    it('a folder → 404 JSON', async () => {
      expectJsonError(await get(streamPath('sub dir')), 404);
    });

    it('an extension that is not media → 404 JSON', async () => {
      expectJsonError(await get(streamPath('clip.txt')), 404);
    });

    it.each([
      ['a ".." segment', '..'],
      ['a path out of the root', '../clip.mp4'],
      ['a "." segment', './clip.mp4'],
      ['an empty segment', 'sub dir//ünï code.webm'],
      ['an absolute path', '/etc/passwd.mp4'],
      ['a backslash', 'sub dir\\ünï code.webm'],
      ['a NUL', 'clip.mp4\u0000'],
      ['a control character', 'cl\u0001ip.mp4'],
      ['DEL', 'cl\u007fip.mp4'],
      ['more than 1024 bytes', `${'é'.repeat(520)}.mp4`],
    ])('a malformed ID (%s) → 400 or 404 JSON', async (_label, id) => {
      const res = await get(streamPath(id));
      expect([400, 404]).toContain(res.status);
      expectJsonError(res, res.status);
    });

    it('a malformed percent-encoding → 400 or 404 JSON', async () => {
      const res = await get('/api/videos/%E0%A4%A.mp4/stream');
      expect([400, 404]).toContain(res.status);
      expectJsonError(res, res.status);
    });

    it('an ID reaching outside the root answers as one that does not exist there', async () => {
      const basename = path.basename(server.secrets[0] ?? 'x');
      const inside = await get(streamPath(`../${basename}/${CLIP_ID}`));
      const nowhere = await get(streamPath(`../no-such-folder/${CLIP_ID}`));
      expect([400, 404]).toContain(inside.status);
      expect(inside.status).toBe(nowhere.status);
      expect(inside.body.toString('utf8')).toBe(nowhere.body.toString('utf8'));
    });

    it('304 has no body', async () => {
      const res = await get(streamPath(CLIP_ID), { 'If-None-Match': etag });
      expect(res.status).toBe(304);
      expect(res.body.length).toBe(0);
    });
  });

  // -------------------------------------------------------------------------
  describe('other methods on the stream route', () => {
    it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'])('%s → 404 or 405 (with Allow), never 5xx', async (method) => {
      const res = await request(server, streamPath(CLIP_ID), { 'Content-Length': '0' }, method);
      expect([404, 405]).toContain(res.status);
      if (res.status === 405) {
        const allow = (header(res, 'allow') ?? '').split(',').map((item) => item.trim().toUpperCase());
        expect(allow).toEqual(expect.arrayContaining(['GET', 'HEAD']));
        expect(allow).not.toContain(method);
      }
      expectEmptyOrJsonError(res, res.status);
    });

    it('POST with a body, on a known or an unknown ID, still 404 or 405 and never 5xx', async () => {
      for (const id of [CLIP_ID, 'nope.mp4']) {
        const res = await raw(server, 'POST', streamPath(id), ['Content-Type: application/json', 'Content-Length: 2'], Buffer.from('{}'));
        expect([404, 405]).toContain(res.status);
        expectEmptyOrJsonError(res, res.status);
      }
    });

    it('leaves the file intact after DELETE and PUT', async () => {
      expectWhole(await get(streamPath(CLIP_ID)), CLIP);
    });
  });

  // -------------------------------------------------------------------------
  describe('raw bytes in request headers never cause a 5xx', () => {
    const cases: Array<[string, Array<string | Buffer>]> = [
      ['duplicated Range headers', ['Range: bytes=0-9', 'Range: bytes=20-29']],
      ['duplicated identical Range headers', ['Range: bytes=0-9', 'Range: bytes=0-9']],
      ['a Range with bytes 0x80-0xff', [Buffer.from([...Buffer.from('Range: bytes=0-'), 0xff, 0x39, 0x80])]],
      ['a Range with UTF-8 fullwidth digits', [Buffer.concat([Buffer.from('Range: bytes='), Buffer.from('０-９', 'utf8')])]],
      ['a Range with a NUL', [Buffer.from([...Buffer.from('Range: bytes=0-'), 0x00, 0x39])]],
      ['a Range with a control character', [Buffer.from([...Buffer.from('Range: bytes=0-'), 0x01, 0x39])]],
      ['a folded Range header', ['Range: bytes=0-9,', ' 20-29']],
      ['an empty Range header', ['Range:']],
      ['a Range of 6000 digits', [`Range: bytes=${'9'.repeat(6000)}-`]],
      ['a Range whose last byte has 6000 digits', [`Range: bytes=0-${'9'.repeat(6000)}`]],
      ['a Range with 2000 ranges', [`Range: bytes=${Array.from({ length: 2000 }, (_, i) => `${i * 3}-${i * 3}`).join(',')}`]],
      ['duplicated If-Range headers', ['Range: bytes=0-9', `If-Range: ${'"stale"'}`, 'If-Range: "other"']],
      ['an If-None-Match with raw bytes', [Buffer.from([...Buffer.from('If-None-Match: "'), 0xff, 0xfe, 0x22])]],
      ['an If-Modified-Since with raw bytes', [Buffer.from([...Buffer.from('If-Modified-Since: '), 0xc3, 0x28])]],
    ];

    it.each(cases)('%s', async (_label, lines) => {
      const res = await raw(server, 'GET', streamPath(CLIP_ID), lines);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(500);
      expectConsistent({ ...res, body: rawBody(res) }, CLIP);
    });

    it('duplicated Range headers answered 206 send the bytes they name', async () => {
      const res = await raw(server, 'GET', streamPath(CLIP_ID), ['Range: bytes=0-9', 'Range: bytes=20-29']);
      const body = rawBody(res);
      if (res.status === 206) {
        const ranges = sentRanges({ ...res, body }, CLIP);
        for (const [first, last] of ranges) {
          expect([[0, 9], [20, 29]]).toContainEqual([first, last]);
        }
      } else {
        expect([200, 400, 416]).toContain(res.status);
      }
    });

    it('the service still answers after the raw requests', async () => {
      expectSingle(await get(streamPath(CLIP_ID), { Range: 'bytes=0-9' }), CLIP, 0, 9);
    });
  });

  // -------------------------------------------------------------------------
  describe('CACHE_MAX_AGE', () => {
    let other: StartedServer;

    beforeAll(async () => {
      other = await start({ [CLIP_ID]: CLIP }, { env: { CACHE_MAX_AGE: '120' } });
      secrets.push(...other.secrets);
    });
    afterAll(async () => {
      await other?.close();
    });

    it('sets max-age on 200, 206 and 304', async () => {
      const whole = await request(other, streamPath(CLIP_ID));
      expect(whole.status).toBe(200);
      expectBytes(whole.body, CLIP);
      expect(header(whole, 'cache-control')).toBe('public, max-age=120');
      const part = await request(other, streamPath(CLIP_ID), { Range: 'bytes=1-2' });
      expect(part.status).toBe(206);
      expectBytes(part.body, CLIP.subarray(1, 3));
      expect(header(part, 'cache-control')).toBe('public, max-age=120');
      const notModified = await request(other, streamPath(CLIP_ID), { 'If-None-Match': header(whole, 'etag') ?? '' });
      expect(notModified.status).toBe(304);
      expect(header(notModified, 'cache-control')).toBe('public, max-age=120');
    });
  });

  // -------------------------------------------------------------------------
  describe('STREAM_MAX_RANGE_BYTES', () => {
    let capped: StartedServer;

    beforeAll(async () => {
      capped = await start({ [CLIP_ID]: CLIP, [EMPTY_ID]: Buffer.alloc(0) }, { env: { STREAM_MAX_RANGE_BYTES: '1000' } });
      secrets.push(...capped.secrets);
    });
    afterAll(async () => {
      await capped?.close();
    });

    const cappedGet = (headers: Record<string, string> = {}): Promise<BytesResponse> =>
      request(capped, streamPath(CLIP_ID), headers);

    it("'bytes=10-' → 206 'bytes 10-1009/size' with those bytes", async () => {
      expectSingle(await cappedGet({ Range: 'bytes=10-' }), CLIP, 10, 1009);
    });

    it("'bytes=0-' → 206 'bytes 0-999/size'", async () => {
      expectSingle(await cappedGet({ Range: 'bytes=0-' }), CLIP, 0, 999);
    });

    it('an open-ended range shorter than the cap goes to the end', async () => {
      expectSingle(await cappedGet({ Range: 'bytes=102000-' }), CLIP, 102000, SIZE - 1);
    });

    it('a request without Range still gets the whole file (200)', async () => {
      expectWhole(await cappedGet(), CLIP);
    });

    it("'bytes=10-20' is unaffected", async () => {
      expectSingle(await cappedGet({ Range: 'bytes=10-20' }), CLIP, 10, 20);
    });

    it('a closed range longer than the cap is unaffected', async () => {
      expectSingle(await cappedGet({ Range: 'bytes=0-4999' }), CLIP, 0, 4999);
    });

    it('a suffix range is not open-ended and is unaffected', async () => {
      expectSingle(await cappedGet({ Range: 'bytes=-5000' }), CLIP, SIZE - 5000, SIZE - 1);
    });

    it('If-Range that fails still gets the whole file (200)', async () => {
      expectWhole(await cappedGet({ Range: 'bytes=10-', 'If-Range': '"stale"' }), CLIP);
    });

    it('416 rules are unchanged', async () => {
      expect416(await cappedGet({ Range: 'bytes=102400-' }), SIZE);
    });

    it('HEAD says what GET sends', async () => {
      const res = await headRaw(capped, streamPath(CLIP_ID), { Range: 'bytes=10-' });
      expect(res.status).toBe(206);
      expect(header(res, 'content-range')).toBe(`bytes 10-1009/${SIZE}`);
      expect(header(res, 'content-length')).toBe('1000');
    });
  });

  // -------------------------------------------------------------------------
  describe('no response leaks', () => {
    it('no response contains a stack trace or an absolute server path', () => {
      expect(seen.length).toBeGreaterThan(100);
      expect(secrets.length).toBeGreaterThan(0);
      for (const res of seen) {
        const text = res.body.toString('latin1');
        const utf8 = res.body.toString('utf8');
        const headers = JSON.stringify(res.headers);
        for (const secret of secrets) {
          expect(text.includes(secret) || utf8.includes(secret) || headers.includes(secret)).toBe(false);
        }
        const type = essence(header(res, 'content-type')) ?? '';
        if (res.status >= 300 || /json|text|html/.test(type)) {
          expect(utf8).not.toMatch(STACK_LINE);
          expect(utf8).not.toMatch(/node_modules|\/src\/|\.ts:\d+/);
        }
      }
    });
  });
});
