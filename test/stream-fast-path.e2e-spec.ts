import { jest } from '@jest/globals';
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import http, { type Server } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { MediaChangedError } from '../src/media/storage/media-errors.js';
import { MEDIA_REPOSITORY, type MediaRepository, type MediaSource } from '../src/media/storage/media.repository.js';
import { StreamFastPath } from '../src/media/api/stream-fast-path.js';
import { BytesResponse, fetchBytes, parseRawResponse, patternBytes, rawExchange } from './support/http.js';
import { boundaryOf } from './support/multipart.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

/*
 * The app that main.ts starts answers GET/HEAD of the stream route in
 * StreamFastPath, before Express; every other spelling, and apps that import
 * MediaModule, go through the VideoController. The contract suites run on the
 * first; this one proves the two give the same answers, byte for byte, by
 * sending the same requests to an app with the fast path and one without.
 */

const KiB = 1024;
const CLIP = patternBytes(300 * KiB);
const CORS_ENV = { CORS_ORIGINS: 'https://player.example,https://other.example' };

interface Pair {
  fast: TestApp;
  slow: TestApp;
  served: jest.Mock;
}

let root: string;
let outside: string;
let plain: Pair;
let withCors: Pair;
let etag: string;
let lastModified: string;

async function startPair(env: Record<string, string>): Promise<Pair> {
  const fast = await startApp(root, env);
  const slow = await startApp(root, env, { streamFastPath: false });
  // Counts the requests the fast path really answered, so that a fast path
  // that never takes a request cannot make the comparison pass vacuously.
  const served = jest.fn();
  const fastPath = fast.app.get(StreamFastPath);
  const serve = fastPath.serve.bind(fastPath);
  jest.spyOn(fastPath, 'serve').mockImplementation((...args) => {
    served();
    return serve(...args);
  });
  return { fast, slow, served };
}

beforeAll(async () => {
  root = await makeMediaRoot();
  outside = await makeMediaRoot();
  await writeFile(path.join(root, 'clip.mp4'), CLIP);
  await writeFile(path.join(root, 'empty.mp4'), Buffer.alloc(0));
  await writeFile(path.join(root, 'ünï name (1).mp4'), patternBytes(5000, 3));
  await writeFile(path.join(root, 'song.mp3'), patternBytes(2000, 5));
  await writeFile(path.join(root, '.hidden.mp4'), patternBytes(100));
  await writeFile(path.join(root, 'notes.txt'), 'not media');
  await mkdir(path.join(root, 'sub', 'dir'), { recursive: true });
  await writeFile(path.join(root, 'sub', 'dir', 'x.webm'), patternBytes(70 * KiB, 9));
  await mkdir(path.join(root, 'folder.mp4'));
  await writeFile(path.join(outside, 'secret.mp4'), patternBytes(100, 11));
  await symlink(path.join(outside, 'secret.mp4'), path.join(root, 'escape.mp4'));
  plain = await startPair({});
  withCors = await startPair(CORS_ENV);
  const head = await fetchBytes(plain.fast.baseUrl, '/api/videos/clip.mp4/stream', { method: 'HEAD' });
  etag = String(head.headers.etag);
  lastModified = String(head.headers['last-modified']);
});

afterAll(async () => {
  for (const pair of [plain, withCors]) {
    await pair?.fast.close();
    await pair?.slow.close();
  }
  await removeRoot(root);
  await removeRoot(outside);
});

/** Status, headers without the per-connection ones, and body; a multipart boundary is made constant. */
function comparable(response: BytesResponse): { status: number; headers: Record<string, unknown>; body: string } {
  const headers: Record<string, unknown> = { ...response.headers };
  delete headers.date;
  delete headers.connection;
  delete headers['keep-alive'];
  // Unique per request by design.
  delete headers['x-request-id'];
  let body = response.body.toString('latin1');
  const boundary = boundaryOf(typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined);
  if (boundary !== null) {
    headers['content-type'] = String(headers['content-type']).replace(boundary, 'BOUNDARY');
    body = body.split(boundary).join('BOUNDARY');
  }
  return { status: response.status, headers, body };
}

async function expectSameAnswer(pair: Pair, method: string, url: string, headers: Record<string, string> = {}): Promise<BytesResponse> {
  const fast = await fetchBytes(pair.fast.baseUrl, url, { method, headers });
  const slow = await fetchBytes(pair.slow.baseUrl, url, { method, headers });
  expect(comparable(fast)).toEqual(comparable(slow));
  return fast;
}

const ids = [
  'clip.mp4',
  'empty.mp4',
  encodeURIComponent('ünï name (1).mp4'),
  'song.mp3',
  'sub%2Fdir%2Fx.webm',
  'sub/dir/x.webm',
  'missing.mp4',
  '.hidden.mp4',
  'notes.txt',
  'folder.mp4',
  'escape.mp4',
  '..%2F..%2Fetc%2Fpasswd',
  '%2E%2E%2Fclip.mp4',
  'a%00b.mp4',
  'a%5Cb.mp4',
  'a%0Ab.mp4',
  '%C2%85clip.mp4',
  '%E2%82',
  '%',
  'x'.repeat(1025),
  'clip.mp4;v=1',
  'CLIP.MP4',
];

const queries = ['', '?', '?download=1', '?download=true', '?download=0', '?download=false', '?download=2', '?download', '?download=1&download=1', '?x=1&download=1', '?download=%31'];

const conditionalSets = (): Array<[string, Record<string, string>]> => [
  ['no headers', {}],
  ['a small range', { Range: 'bytes=0-99' }],
  ['a suffix range', { Range: 'bytes=-500' }],
  ['an open-ended range', { Range: 'bytes=100000-' }],
  ['a range streamed in pieces', { Range: 'bytes=1000-200000' }],
  ['a range at the buffered limit', { Range: `bytes=0-${64 * KiB - 1}` }],
  ['a range just past it', { Range: `bytes=0-${64 * KiB}` }],
  ['two ranges', { Range: 'bytes=0-0,10-20' }],
  ['overlapping ranges', { Range: 'bytes=0-100,50-150,1000-1010' }],
  ['an unsatisfiable range', { Range: 'bytes=999999999-' }],
  ['a malformed range', { Range: 'bytes=abc' }],
  ['another unit', { Range: 'items=0-1' }],
  ['If-None-Match that matches', { 'If-None-Match': etag }],
  ['If-None-Match that does not', { 'If-None-Match': '"nope"' }],
  ['If-Match that fails', { 'If-Match': '"nope"' }],
  ['If-Match that holds', { 'If-Match': etag, Range: 'bytes=5-9' }],
  ['If-Range with the ETag', { 'If-Range': etag, Range: 'bytes=5-9' }],
  ['If-Range with another ETag', { 'If-Range': '"old"', Range: 'bytes=5-9' }],
  ['If-Range with the date', { 'If-Range': lastModified, Range: 'bytes=5-9' }],
  ['If-Modified-Since now', { 'If-Modified-Since': lastModified }],
  ['If-Unmodified-Since long ago', { 'If-Unmodified-Since': 'Sun, 06 Nov 1994 08:49:37 GMT' }],
];

describe('the stream fast path answers exactly as the VideoController', () => {
  it.each(['GET', 'HEAD'])('%s of every kind of ID', async (method) => {
    for (const id of ids) {
      for (const headers of [{}, { Range: 'bytes=0-99' }] as Array<Record<string, string>>) {
        await expectSameAnswer(plain, method, `/api/videos/${id}/stream`, headers);
      }
    }
  });

  it.each(['GET', 'HEAD'])('%s with every kind of query', async (method) => {
    for (const query of queries) {
      await expectSameAnswer(plain, method, `/api/videos/clip.mp4/stream${query}`);
      await expectSameAnswer(plain, method, `/api/videos/${encodeURIComponent('ünï name (1).mp4')}/stream${query}`, { Range: 'bytes=1-2' });
    }
  });

  it.each(['GET', 'HEAD'])('%s with ranges and preconditions', async (method) => {
    for (const [, headers] of conditionalSets()) {
      await expectSameAnswer(plain, method, '/api/videos/clip.mp4/stream', headers);
    }
  });

  it('sends the right bytes itself (a comparison of two wrong answers would pass)', async () => {
    const small = await fetchBytes(plain.fast.baseUrl, '/api/videos/clip.mp4/stream', { headers: { Range: 'bytes=1000-1099' } });
    expect(small.status).toBe(206);
    expect(small.body.equals(CLIP.subarray(1000, 1100))).toBe(true);
    const large = await fetchBytes(plain.fast.baseUrl, '/api/videos/clip.mp4/stream', { headers: { Range: 'bytes=1000-200000' } });
    expect(large.status).toBe(206);
    expect(large.body.equals(CLIP.subarray(1000, 200001))).toBe(true);
    const whole = await fetchBytes(plain.fast.baseUrl, '/api/videos/clip.mp4/stream');
    expect(whole.status).toBe(200);
    expect(whole.body.equals(CLIP)).toBe(true);
  });

  it.each<[string, Record<string, string>]>([
    ['an allowed origin', { Origin: 'https://player.example' }],
    ['another allowed origin', { Origin: 'https://other.example' }],
    ['a foreign origin', { Origin: 'https://evil.example' }],
    ['no origin', {}],
  ])('applies CORS as Express does, for %s', async (_name, origin) => {
    for (const method of ['GET', 'HEAD']) {
      const response = await expectSameAnswer(withCors, method, '/api/videos/clip.mp4/stream', { ...origin, Range: 'bytes=0-9' });
      await expectSameAnswer(withCors, method, '/api/videos/missing.mp4/stream', origin);
      if (origin.Origin?.endsWith('player.example')) {
        expect(response.headers['access-control-allow-origin']).toBe('https://player.example');
        expect(response.headers['access-control-expose-headers']).toContain('Content-Range');
      }
    }
  });

  it('takes the canonical GETs and HEADs, and nothing else', async () => {
    const base = plain.fast.baseUrl;
    plain.served.mockClear();
    await fetchBytes(base, '/api/videos/clip.mp4/stream');
    await fetchBytes(base, '/api/videos/clip.mp4/stream?download=1', { method: 'HEAD' });
    await fetchBytes(base, '/api/videos/%2E%2E%2Fclip.mp4/stream');
    expect(plain.served).toHaveBeenCalledTimes(3);
    plain.served.mockClear();
    for (const [method, url] of [
      ['POST', '/api/videos/clip.mp4/stream'],
      ['OPTIONS', '/api/videos/clip.mp4/stream'],
      ['GET', '/api/videos/clip.mp4/stream/'],
      ['GET', '/API/videos/clip.mp4/STREAM'],
      ['GET', '/api/videos/clip.mp4'],
      ['GET', '/api/videos//stream'],
      ['GET', '/api/videos/a/b/stream'],
      ['GET', '/api/videos/%/stream'],
      // Undecodable: Express's own 400, whatever its wording.
      ['GET', '/api/videos/%E2%82/stream'],
    ]) {
      await fetchBytes(base, url, { method });
    }
    expect(plain.served).not.toHaveBeenCalled();
  });

  it('answers a body that fails before its first byte with 503 JSON, keeping the CORS headers', async () => {
    // The file shrank between its metadata and its bytes: the stream fails on
    // its first read, after the status was decided and before anything is sent.
    for (const app of [withCors.fast.app, withCors.slow.app]) {
      const repository = app.get<MediaRepository>(MEDIA_REPOSITORY);
      const open = repository.open.bind(repository);
      jest.spyOn(repository, 'open').mockImplementation(async (id) => {
        const source = await open(id);
        if (source === null) return null;
        const failing: MediaSource = {
          item: source.item,
          read: () => Promise.resolve(new Readable({ read() { this.destroy(new MediaChangedError('shrank')); } })),
          close: () => source.close(),
        };
        return failing;
      });
    }
    try {
      for (const range of ['bytes=0-199999', 'bytes=0-9']) {
        const response = await expectSameAnswer(withCors, 'GET', '/api/videos/clip.mp4/stream', { Origin: 'https://player.example', Range: range });
        expect(response.status).toBe(503);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['content-range']).toBeUndefined();
        expect(response.headers['access-control-allow-origin']).toBe('https://player.example');
        expect(JSON.parse(response.body.toString()).statusCode).toBe(503);
      }
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('cuts the connection, rather than ending it, when the file shrinks under a streamed body', async () => {
    const size = 32 * 1024 * KiB;
    const original = patternBytes(size, 13);
    const file = path.join(root, 'shrinking.mp4');
    await writeFile(file, original);
    const outcome = await new Promise<{ status: number; length: number; complete: boolean; received: Buffer }>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port: plain.fast.port, path: '/api/videos/shrinking.mp4/stream', agent: false }, (response) => {
        const chunks: Buffer[] = [];
        let shrunk = false;
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (!shrunk) {
            // The reader stops; the server fills the socket buffers and waits.
            shrunk = true;
            response.pause();
            setTimeout(() => {
              truncate(file, 1024 * KiB).then(() => response.resume(), reject);
            }, 200);
          }
        });
        response.on('error', () => undefined);
        response.on('close', () =>
          resolve({ status: response.statusCode ?? 0, length: Number(response.headers['content-length']), complete: response.complete, received: Buffer.concat(chunks) }),
        );
      });
      request.on('error', () => undefined);
    });
    expect(outcome.status).toBe(200);
    expect(outcome.length).toBe(size);
    expect(outcome.complete).toBe(false);
    expect(outcome.received.length).toBeLessThan(size);
    // What did arrive is the file as it was, from the start.
    expect(outcome.received.equals(original.subarray(0, outcome.received.length))).toBe(true);
  });

  it('other methods still get 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await expectSameAnswer(plain, method, '/api/videos/clip.mp4/stream');
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    }
  });

  it('waits for the close of a connection with many pipelined streams with one listener', async () => {
    // One 'close' listener per pipelined request would pass Node's limit of
    // 10 and print a MaxListenersExceededWarning for any client that asks.
    const server = plain.fast.app.getHttpServer() as Server;
    const sockets: Socket[] = [];
    const onConnection = (socket: Socket): void => {
      sockets.push(socket);
    };
    server.on('connection', onConnection);
    let most = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const socket of sockets) most = Math.max(most, socket.listenerCount('close'));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      const one = 'GET /api/videos/clip.mp4/stream HTTP/1.1\r\nHost: x\r\nRange: bytes=0-99999\r\n\r\n';
      const last = 'GET /api/videos/clip.mp4/stream HTTP/1.1\r\nHost: x\r\nRange: bytes=0-99999\r\nConnection: close\r\n\r\n';
      const raw = await rawExchange(plain.fast.port, one.repeat(15) + last);
      expect(raw.toString('latin1').match(/HTTP\/1\.1 206/g)).toHaveLength(16);
    } finally {
      sampling = false;
      await sampler;
      server.off('connection', onConnection);
    }
    expect(sockets).toHaveLength(1);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(5);
  });

  it('answers pipelined requests in order, each with its own bytes', async () => {
    const request = (range: string, extra = ''): string =>
      `GET /api/videos/clip.mp4/stream HTTP/1.1\r\nHost: x\r\nRange: bytes=${range}\r\n${extra}\r\n`;
    // A streamed range, a buffered one, an error, then a buffered one that closes.
    const raw = await rawExchange(
      plain.fast.port,
      request('0-99999') + request('5-9') + request('999999999-') + request('10-19', 'Connection: close\r\n'),
    );
    const answers: BytesResponse[] = [];
    let rest = raw;
    while (rest.length > 0) {
      const response = parseRawResponse(rest);
      const length = Number(response.headers['content-length']);
      answers.push({ ...response, body: response.body.subarray(0, length) });
      rest = response.body.subarray(length);
    }
    expect(answers.map((a) => a.status)).toEqual([206, 206, 416, 206]);
    expect(answers[0].body.equals(CLIP.subarray(0, 100000))).toBe(true);
    expect(answers[1].body.equals(CLIP.subarray(5, 10))).toBe(true);
    expect(JSON.parse(answers[2].body.toString()).statusCode).toBe(416);
    expect(answers[3].body.equals(CLIP.subarray(10, 20))).toBe(true);
  });

  it('leaves requests for anything else to Express', async () => {
    const list = await fetchBytes(plain.fast.baseUrl, '/api/videos');
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body.toString()).total).toBeGreaterThan(0);
    expect((await fetchBytes(plain.fast.baseUrl, '/health')).status).toBe(200);
    expect((await fetchBytes(plain.fast.baseUrl, '/watch/clip.mp4')).status).toBe(200);
  });
});
