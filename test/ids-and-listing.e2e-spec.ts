import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BytesResponse, fetchBytes, parseRawResponse, patternBytes, rawExchange } from './support/http.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

/**
 * IDs, listing and path safety, black-box over HTTP.
 *
 * Layout (base is a fresh temp folder):
 *   base/secret.mp4               outside the root
 *   base/media-other/secret.mp4   outside, in a sibling that shares the root's prefix
 *   base/media/                   MEDIA_ROOT
 */

interface Video {
  id: string;
  name: string;
  size: number;
  mimeType: string;
  modifiedAt: string;
  etag: string;
  streamUrl: string;
  watchUrl: string;
}

interface VideoPage {
  items: Video[];
  total: number;
  limit: number;
  offset: number;
}

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

const SECRET = Buffer.from('TOP-SECRET-BYTES-3f9c1e-must-never-be-served');

// A 1024-byte ID (the longest well-formed one): 5 + 4 * 251 + 15 bytes.
const LONG_ID = `long/${Array.from({ length: 4 }, () => 'd'.repeat(250)).join('/')}/${'e'.repeat(11)}.mp4`;

/** Every listed ID, in JavaScript's default (UTF-16 code unit) order, written out by hand. */
const EXPECTED_IDS = [
  'Apple.mp4',
  'CLIP.MP4',
  'Zebra.mp4',
  'a.mp4',
  'a/b.mp4', // '/' (0x2F) sorts between '.' (0x2E) and '0' (0x30): whole-ID order, not folder by folder
  'a0.mp4',
  'apple.mp4',
  'clip.mp4',
  'folder.mp4/inner.mp4',
  'inside-link.mp4',
  LONG_ID,
  'sub/clip.mp4',
  'sub/deeper/x.mkv',
  'trailers/big buck bunny.webm',
  'é.mp4', // U+00E9
  '🎬.mp4', // U+1F3AC: UTF-16 0xD83C 0xDFAC, so before U+FF21 (code point order would put it after)
  'Ａ.mp4', // U+FF21 FULLWIDTH LATIN CAPITAL LETTER A
];

const MIME: Record<string, string> = { mp4: 'video/mp4', webm: 'video/webm', mkv: 'video/x-matroska' };

let t: TestApp;
let base: string;
let root: string;
/** ID -> the bytes the service must serve for it. */
const contents = new Map<string, Buffer>();

function bodyText(res: BytesResponse): string {
  return res.body.toString('utf8');
}

function json<T>(res: BytesResponse): T {
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  return JSON.parse(bodyText(res)) as T;
}

/** Nothing in a response may reveal server paths, stack traces or the secret. */
function expectNoLeak(res: BytesResponse): void {
  const text = res.body.toString('latin1');
  expect(res.body.includes(SECRET)).toBe(false);
  expect(text).not.toContain('root:x:0:0');
  expect(text).not.toContain(base);
  expect(text).not.toContain(tmpdir());
  expect(text).not.toContain(process.cwd());
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain('    at ');
}

/** A contract error: JSON `{statusCode, error, message}` with one of the allowed statuses. */
function expectJsonError(res: BytesResponse, allowed: number[]): ErrorBody {
  expect(allowed).toContain(res.status);
  expectNoLeak(res);
  const body = json<ErrorBody>(res);
  expect(body.statusCode).toBe(res.status);
  expect(typeof body.error).toBe('string');
  const message = body.message;
  if (Array.isArray(message)) {
    for (const m of message) expect(typeof m).toBe('string');
  } else {
    expect(typeof message).toBe('string');
  }
  return body;
}

/** The allowed statuses joined by '|' when `status` is one of them, else the status itself (for readable diffs). */
function oneOf(status: number, allowed: number[]): string {
  return allowed.includes(status) ? allowed.join('|') : String(status);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function raw(pathText: string, method = 'GET'): Promise<BytesResponse> {
  const request = `${method} ${pathText} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
  return rawExchange(t.port, Buffer.from(request, 'latin1')).then(parseRawResponse);
}

function get(pathText: string, method = 'GET'): Promise<BytesResponse> {
  return fetchBytes(t.baseUrl, pathText, { method });
}

async function list(query = ''): Promise<BytesResponse> {
  return get(`/api/videos${query}`);
}

async function put(id: string, bytes: Buffer): Promise<void> {
  const full = path.join(root, id);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, bytes);
  contents.set(id, bytes);
}

beforeAll(async () => {
  base = await makeMediaRoot();
  root = path.join(base, 'media');
  await mkdir(root);
  await writeFile(path.join(base, 'secret.mp4'), SECRET);
  await mkdir(path.join(base, 'media-other'));
  await writeFile(path.join(base, 'media-other', 'secret.mp4'), SECRET);

  let seed = 1;
  for (const id of EXPECTED_IDS) {
    if (id === 'inside-link.mp4') continue;
    await put(id, patternBytes(100 + seed * 37, seed));
    seed++;
  }
  // Served under the link's own ID, with the target's bytes.
  await symlink(path.join(root, 'clip.mp4'), path.join(root, 'inside-link.mp4'));
  contents.set('inside-link.mp4', contents.get('clip.mp4') as Buffer);

  // Never listed, never served.
  await writeFile(path.join(root, '.hidden.mp4'), SECRET);
  await mkdir(path.join(root, 'dotdir', '.x'), { recursive: true });
  await writeFile(path.join(root, 'dotdir', '.x', 'clip.mp4'), SECRET);
  await mkdir(path.join(root, '.hiddendir'));
  await writeFile(path.join(root, '.hiddendir', 'clip.mp4'), SECRET);
  await writeFile(path.join(root, 'notes.txt'), 'not media');
  await writeFile(path.join(root, 'clip.mp4.txt'), 'not media');
  await writeFile(path.join(root, 'noext'), 'not media');
  execFileSync('mkfifo', [path.join(root, 'pipe.mp4')]);
  await symlink(path.join(base, 'secret.mp4'), path.join(root, 'escape.mp4'));
  // The '/root' vs '/root-other' prefix trap.
  await symlink(path.join(base, 'media-other', 'secret.mp4'), path.join(root, 'prefix-trap.mp4'));
  await symlink('../media-other/secret.mp4', path.join(root, 'relative-escape.mp4'));
  await symlink(path.join(root, 'no-such-target.mp4'), path.join(root, 'dangling.mp4'));
  await symlink('loop.mp4', path.join(root, 'loop.mp4'));
  // Symlinked folders: not followed when listing.
  await symlink(path.join(root, 'sub'), path.join(root, 'linkdir'));
  await symlink(path.join(root, 'sub'), path.join(root, 'dirlink.mp4'));
  await symlink(path.join(base, 'media-other'), path.join(root, 'outlink'));
  await symlink(base, path.join(root, 'up'));

  t = await startApp(root);
}, 30_000);

afterAll(async () => {
  await t?.close();
  if (base) await removeRoot(base);
});

describe('GET /api/videos: listing', () => {
  it('lists exactly the servable media, walking subfolders, sorted by whole ID in UTF-16 order', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    const page = json<VideoPage>(res);
    const ids = page.items.map((item) => item.id);
    expect(ids).toEqual(EXPECTED_IDS);
    // The hand-written order is JavaScript's default string order.
    expect([...EXPECTED_IDS].sort()).toEqual(EXPECTED_IDS);
    expect(page.total).toBe(EXPECTED_IDS.length);
  });

  it('defaults to limit 50 and offset 0', async () => {
    const page = json<VideoPage>(await list());
    expect(page.limit).toBe(50);
    expect(page.offset).toBe(0);
  });

  it('excludes dotfiles, dot-folders, non-media, FIFOs, folders named like media, escaping/dangling links and symlinked folders', async () => {
    const ids = json<VideoPage>(await list('?limit=500')).items.map((item) => item.id);
    for (const excluded of [
      '.hidden.mp4',
      'dotdir/.x/clip.mp4',
      '.hiddendir/clip.mp4',
      'notes.txt',
      'clip.mp4.txt',
      'noext',
      'pipe.mp4',
      'folder.mp4',
      'escape.mp4',
      'prefix-trap.mp4',
      'relative-escape.mp4',
      'dangling.mp4',
      'loop.mp4',
      'linkdir/clip.mp4',
      'dirlink.mp4',
      'dirlink.mp4/clip.mp4',
      'outlink/secret.mp4',
      'up/secret.mp4',
    ]) {
      expect(ids).not.toContain(excluded);
    }
    expect(ids).toContain('CLIP.MP4'); // extensions compare case-insensitively
    expect(ids).toContain('inside-link.mp4'); // a link to a file inside, under its own ID
    expect(ids).toContain('folder.mp4/inner.mp4'); // the folder's content is media, the folder is not
  });

  it('describes every item completely and consistently with the file', async () => {
    const page = json<VideoPage>(await list('?limit=500'));
    for (const item of page.items) {
      const file = path.join(root, item.id);
      const stats = statSync(file);
      expect(Object.keys(item)).toEqual(
        expect.arrayContaining(['id', 'name', 'size', 'mimeType', 'modifiedAt', 'etag', 'streamUrl', 'watchUrl']),
      );
      expect(item.name).toBe(item.id.slice(item.id.lastIndexOf('/') + 1));
      expect(item.size).toBe(stats.size);
      const ext = item.id.slice(item.id.lastIndexOf('.') + 1).toLowerCase();
      expect(item.mimeType).toBe(MIME[ext]);
      expect(new Date(item.modifiedAt).toISOString()).toBe(item.modifiedAt);
      expect(Math.abs(Date.parse(item.modifiedAt) - stats.mtimeMs)).toBeLessThan(1000);
      expect(item.etag).toMatch(/^"[^"]+"$/); // strong (no W/) and quoted
      expect(item.streamUrl).toBe(`/api/videos/${encodeURIComponent(item.id)}/stream`);
      expect(item.watchUrl).toBe(`/watch/${encodeURIComponent(item.id)}`);
    }
  });

  it('percent-encodes URLs with encodeURIComponent (spaces and subfolders)', async () => {
    const page = json<VideoPage>(await list('?q=bunny'));
    expect(page.items).toHaveLength(1);
    expect(page.items[0].id).toBe('trailers/big buck bunny.webm');
    expect(page.items[0].name).toBe('big buck bunny.webm');
    expect(page.items[0].mimeType).toBe('video/webm');
    expect(page.items[0].streamUrl).toBe('/api/videos/trailers%2Fbig%20buck%20bunny.webm/stream');
    expect(page.items[0].watchUrl).toBe('/watch/trailers%2Fbig%20buck%20bunny.webm');
  });

  it("following each streamUrl returns the file's bytes with the listed ETag", async () => {
    const page = json<VideoPage>(await list('?limit=500'));
    expect(page.items.length).toBe(EXPECTED_IDS.length);
    for (const item of page.items) {
      const res = await get(item.streamUrl);
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe(item.etag);
      expect(Number(res.headers['content-length'])).toBe(item.size);
      expect(res.body.equals(contents.get(item.id) as Buffer)).toBe(true);
    }
  });

  it('pages with limit and offset, total counting all matches', async () => {
    const page = json<VideoPage>(await list('?limit=3&offset=2'));
    expect(page.items.map((item) => item.id)).toEqual(EXPECTED_IDS.slice(2, 5));
    expect(page).toMatchObject({ total: EXPECTED_IDS.length, limit: 3, offset: 2 });

    const last = json<VideoPage>(await list(`?limit=5&offset=${EXPECTED_IDS.length - 2}`));
    expect(last.items.map((item) => item.id)).toEqual(EXPECTED_IDS.slice(-2));
    expect(last.total).toBe(EXPECTED_IDS.length);

    const beyond = json<VideoPage>(await list('?offset=1000'));
    expect(beyond.items).toEqual([]);
    expect(beyond).toMatchObject({ total: EXPECTED_IDS.length, limit: 50, offset: 1000 });

    const edges = json<VideoPage>(await list('?limit=500&offset=0'));
    expect(edges).toMatchObject({ limit: 500, offset: 0, total: EXPECTED_IDS.length });
    const one = json<VideoPage>(await list('?limit=1'));
    expect(one.items.map((item) => item.id)).toEqual([EXPECTED_IDS[0]]);
  });

  it('filters with q: a case-insensitive substring of the whole ID; total counts matches before paging', async () => {
    const matches = (q: string): string[] => EXPECTED_IDS.filter((id) => id.toLowerCase().includes(q.toLowerCase()));

    const clip = json<VideoPage>(await list('?q=CLIP'));
    expect(clip.items.map((item) => item.id)).toEqual(matches('clip'));
    expect(clip.items.map((item) => item.id)).toEqual(['CLIP.MP4', 'clip.mp4', 'sub/clip.mp4']);
    expect(clip.total).toBe(3);

    const paged = json<VideoPage>(await list('?q=mp4&limit=2&offset=1'));
    expect(paged.items.map((item) => item.id)).toEqual(matches('mp4').slice(1, 3));
    expect(paged.total).toBe(matches('mp4').length);

    const folder = json<VideoPage>(await list(`?q=${encodeURIComponent('Trailers/BIG')}`));
    expect(folder.items.map((item) => item.id)).toEqual(['trailers/big buck bunny.webm']);

    const unicode = json<VideoPage>(await list(`?q=${encodeURIComponent('é')}`));
    expect(unicode.items.map((item) => item.id)).toEqual(['é.mp4']);

    const none = json<VideoPage>(await list('?q=no-such-thing'));
    expect(none).toMatchObject({ items: [], total: 0 });
  });

  it.each([
    ['limit=0'],
    ['limit=501'],
    ['limit=-1'],
    ['limit=abc'],
    ['limit=1.5'],
    ['limit=1&limit=2'],
    ['offset=-1'],
    ['offset=abc'],
    ['offset=1.5'],
  ])('answers 400 JSON with an array of messages for ?%s', async (query) => {
    const res = await list(`?${query}`);
    expect(res.status).toBe(400);
    const body = expectJsonError(res, [400]);
    expect(body.error).toBe('Bad Request');
    expect(Array.isArray(body.message)).toBe(true);
    expect((body.message as string[]).length).toBeGreaterThan(0);
  });
});

describe('GET /api/videos/:id', () => {
  it('answers the same Video as the listing', async () => {
    // The item first: it waits for the probe, which the listing never does.
    const res = await get('/api/videos/trailers%2Fbig%20buck%20bunny.webm');
    const listed = json<VideoPage>(await list('?q=bunny')).items[0];
    expect(res.status).toBe(200);
    expect(json<Video>(res)).toEqual(listed);
  });

  it('serves unicode and 1024-byte IDs', async () => {
    for (const id of ['🎬.mp4', 'Ａ.mp4', 'é.mp4', LONG_ID]) {
      expect(Buffer.byteLength(id)).toBeLessThanOrEqual(1024);
      const res = await get(`/api/videos/${encodeURIComponent(id)}`);
      expect(res.status).toBe(200);
      expect(json<Video>(res).id).toBe(id);
      const bytes = await get(`/api/videos/${encodeURIComponent(id)}/stream`);
      expect(bytes.status).toBe(200);
      expect(bytes.body.equals(contents.get(id) as Buffer)).toBe(true);
    }
    expect(Buffer.byteLength(LONG_ID)).toBe(1024);
  });

  it('answers 404 JSON for an unknown ID', async () => {
    for (const target of ['/api/videos/nothing-here.mp4', '/api/videos/nothing-here.mp4/stream']) {
      const res = await get(target);
      expect(res.status).toBe(404);
      const body = expectJsonError(res, [404]);
      expect(body.error).toBe('Not Found');
      expect(typeof body.message).toBe('string');
    }
  });
});

describe('IDs that name nothing servable answer 404 (not 400)', () => {
  it.each([
    ['.hidden.mp4', 'a dotfile'],
    ['dotdir%2F.x%2Fclip.mp4', 'a file in a dot-folder'],
    ['.hiddendir%2Fclip.mp4', 'a file in a top-level dot-folder'],
    ['notes.txt', 'a non-media file'],
    ['noext', 'a file without extension'],
    ['pipe.mp4', 'a FIFO'],
    ['folder.mp4', 'a folder named like a media file'],
    ['dirlink.mp4', 'a symlink to a folder named like a media file'],
    ['escape.mp4', 'a symlink to a file outside the root'],
    ['prefix-trap.mp4', 'a symlink into a sibling folder sharing the root prefix'],
    ['relative-escape.mp4', 'a relative symlink escaping the root'],
    ['dangling.mp4', 'a dangling symlink'],
    ['loop.mp4', 'a symlink loop'],
    ['outlink%2Fsecret.mp4', 'a file through a symlinked folder pointing outside'],
    ['up%2Fsecret.mp4', 'a file through a symlinked folder pointing at the parent'],
    [`${'a'.repeat(300)}.mp4`, 'a segment longer than NAME_MAX'],
  ])('%s (%s)', async (id) => {
    for (const [method, target] of [
      ['GET', `/api/videos/${id}/stream`],
      ['HEAD', `/api/videos/${id}/stream`],
      ['GET', `/api/videos/${id}`],
    ] as const) {
      const res = await withTimeout(get(target, method), 3000, `${method} ${target}`);
      expect({ method, status: res.status }).toEqual({ method, status: 404 });
      if (method === 'HEAD') {
        expect(res.body.length).toBe(0);
      } else {
        expectJsonError(res, [404]);
      }
    }
  });

  it('serves a symlink to a file inside the root under its own ID', async () => {
    const res = await get('/api/videos/inside-link.mp4/stream');
    expect(res.status).toBe(200);
    expect(res.body.equals(contents.get('clip.mp4') as Buffer)).toBe(true);
    const meta = await get('/api/videos/inside-link.mp4');
    expect(meta.status).toBe(200);
    expect(json<Video>(meta)).toMatchObject({
      id: 'inside-link.mp4',
      name: 'inside-link.mp4',
      size: (contents.get('clip.mp4') as Buffer).length,
      streamUrl: '/api/videos/inside-link.mp4/stream',
    });
  });
});

describe('hostile IDs', () => {
  const hostile: string[] = [
    '..%2F..%2Fetc%2Fpasswd',
    '..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
    '..%2Fsecret.mp4',
    '%2e%2e%2Fsecret.mp4',
    '%2E%2E%2Fsecret.mp4',
    '..%252F',
    '..%252Fsecret.mp4',
    '%2E%2E',
    '%2e%2e',
    '%2E',
    'a%5Cb.mp4',
    '..%5C..%5Csecret.mp4',
    '..%5Csecret.mp4',
    'a%00.mp4',
    '%00',
    '%01.mp4',
    '%1F.mp4',
    '%7F.mp4',
    'a%0A.mp4',
    '%2Fetc%2Fpasswd',
    '%2Fsecret.mp4',
    'a%2F%2Fb.mp4',
    'a%2Fb.mp4%2F',
    '%2Fa.mp4',
    '.%2Fclip.mp4',
    'sub%2F.%2Fclip.mp4',
    'sub%2F..%2Fclip.mp4',
    'sub%2F..%2F..%2Fsecret.mp4',
    '..%2Fmedia-other%2Fsecret.mp4',
    '..%2Fmedia%2Fclip.mp4',
    encodeURIComponent(`${'a'.repeat(1021)}.mp4`), // 1025 bytes
    encodeURIComponent(`${'é'.repeat(511)}.mp4`), // 1026 bytes, 515 UTF-16 units
    encodeURIComponent(`${'🎬'.repeat(256)}.mp4`), // 1028 bytes, 516 UTF-16 units
    encodeURIComponent(`sub/${'x'.repeat(5000)}.mp4`),
    '%E0%A4%A',
    '%ZZ',
    '%',
    'a%2',
    '%C0%AE%C0%AE%2Fsecret.mp4', // overlong UTF-8 for '..'
    '%FF.mp4',
  ];

  it.each(hostile)('%s answers 400 or 404 JSON on stream and metadata, never 200/5xx', async (id) => {
    for (const [method, target] of [
      ['GET', `/api/videos/${id}/stream`],
      ['HEAD', `/api/videos/${id}/stream`],
      ['GET', `/api/videos/${id}`],
    ] as const) {
      const res = await get(target, method);
      expect({ method, target, status: oneOf(res.status, [400, 404]) }).toEqual({
        method,
        target,
        status: '400|404',
      });
      if (method === 'HEAD') {
        expect(res.body.length).toBe(0);
      } else {
        expectJsonError(res, [400, 404]);
      }
    }
  });

  it('an ID longer than 1024 bytes never reaches storage (400/404, not a 500 from ENAMETOOLONG)', async () => {
    // 1025 bytes of one segment: beyond both the contract's limit and NAME_MAX.
    const res = await get(`/api/videos/${encodeURIComponent('b'.repeat(1021) + '.mp4')}/stream`);
    expectJsonError(res, [400, 404]);
  });

  // Each pair: an ID reaching an existing file outside the root, and the same
  // ID reaching a file that does not exist. The answers must be identical.
  const pairs: [string, string][] = [
    ['..%2Fsecret.mp4', '..%2Fno-such-secret.mp4'],
    ['%2e%2e%2Fsecret.mp4', '%2e%2e%2Fno-such-secret.mp4'],
    ['..%5Csecret.mp4', '..%5Cno-such-secret.mp4'],
    ['..%252Fsecret.mp4', '..%252Fno-such-secret.mp4'],
    ['..%2Fmedia-other%2Fsecret.mp4', '..%2Fmedia-other%2Fno-such-secret.mp4'],
    ['sub%2F..%2F..%2Fsecret.mp4', 'sub%2F..%2F..%2Fno-such-secret.mp4'],
    ['escape.mp4', 'no-such-link.mp4'],
    ['prefix-trap.mp4', 'no-such-link.mp4'],
    ['relative-escape.mp4', 'no-such-link.mp4'],
    ['outlink%2Fsecret.mp4', 'outlink%2Fno-such-secret.mp4'],
    ['up%2Fsecret.mp4', 'up%2Fno-such-secret.mp4'],
    ['up%2Fmedia-other%2Fsecret.mp4', 'up%2Fmedia-other%2Fno-such-secret.mp4'],
  ];

  it('answers identically whether the outside file exists or not', async () => {
    const absolute = (name: string): string => encodeURIComponent(path.join(base, name));
    const deep = (name: string): string =>
      '..%2F'.repeat(30) + encodeURIComponent(path.join(base, name).replace(/^\//, ''));
    const all: [string, string][] = [
      ...pairs,
      [absolute('secret.mp4'), absolute('no-such-secret.mp4')],
      [absolute('media-other/secret.mp4'), absolute('media-other/no-such-secret.mp4')],
      [deep('secret.mp4'), deep('no-such-secret.mp4')],
    ];
    for (const [existing, missing] of all) {
      for (const [method, suffix] of [
        ['GET', '/stream'],
        ['HEAD', '/stream'],
        ['GET', ''],
      ] as const) {
        const a = await get(`/api/videos/${existing}${suffix}`, method);
        const b = await get(`/api/videos/${missing}${suffix}`, method);
        expect({ existing, method, suffix, status: oneOf(a.status, [400, 404]) }).toEqual({
          existing,
          method,
          suffix,
          status: '400|404',
        });
        expect({ existing, method, suffix, status: a.status, body: bodyText(a) }).toEqual({
          existing,
          method,
          suffix,
          status: b.status,
          body: bodyText(b),
        });
        expect(a.headers['content-type']).toBe(b.headers['content-type']);
        expect(a.headers['content-length']).toBe(b.headers['content-length']);
        if (method === 'GET') expectJsonError(a, [400, 404]);
      }
    }
  });

  it('resists raw request targets that an HTTP client would normalise', async () => {
    const targets = [
      '/api/videos/%2e%2e%2Fsecret.mp4/stream',
      '/api/videos/..%2F..%2Fsecret.mp4/stream',
      '/api/videos/..%2Fmedia-other%2Fsecret.mp4/stream',
      '/api/videos/%2e%2e/stream',
      '/api/videos/./clip.mp4/stream',
      '/api/videos/../secret.mp4',
      '/api/videos/../../secret.mp4/stream',
      '/api/videos/sub/../../secret.mp4/stream',
      '/api/videos/a\\b.mp4/stream',
      '/api/videos/..\\secret.mp4/stream',
      '/api/videos/..\\..\\secret.mp4',
      '/api/videos//secret.mp4/stream',
      'http://127.0.0.1/api/videos/..%2Fsecret.mp4/stream',
    ];
    for (const target of targets) {
      for (const method of ['GET', 'HEAD']) {
        const res = await raw(target, method);
        expect({ target, method, status: oneOf(res.status, [400, 404]) }).toEqual({
          target,
          method,
          status: '400|404',
        });
        expectNoLeak(res);
        if (method === 'GET') expectJsonError(res, [400, 404]);
      }
    }
    // The raw answer for an existing outside file equals that for a missing one.
    for (const [existing, missing] of [
      ['/api/videos/../secret.mp4/stream', '/api/videos/../no-such-secret.mp4/stream'],
      ['/api/videos/..\\secret.mp4/stream', '/api/videos/..\\no-such-secret.mp4/stream'],
      ['/api/videos/%2e%2e%2Fsecret.mp4/stream', '/api/videos/%2e%2e%2Fno-such-secret.mp4/stream'],
    ]) {
      const a = await raw(existing);
      const b = await raw(missing);
      expect({ status: a.status, body: bodyText(a) }).toEqual({ status: b.status, body: bodyText(b) });
    }
  });

  it('the secret file really exists outside the root (the tests above are meaningful)', () => {
    expect(readFileSync(path.join(base, 'secret.mp4')).equals(SECRET)).toBe(true);
    expect(readFileSync(path.join(root, 'prefix-trap.mp4')).equals(SECRET)).toBe(true);
    expect(readFileSync(path.join(root, 'up', 'media-other', 'secret.mp4')).equals(SECRET)).toBe(true);
  });
});

describe('unknown routes and methods', () => {
  it('GET /nope and GET /api/nope answer 404', async () => {
    expect((await get('/nope')).status).toBe(404);
    const api = await get('/api/nope');
    expect(api.status).toBe(404);
    expectJsonError(api, [404]);
    const deeper = await get('/api/videos/clip.mp4/stream/extra');
    expect(deeper.status).toBe(404);
    expectJsonError(deeper, [404]);
  });

  const targets = ['/api/videos', '/api/videos/x.mp4', '/api/videos/x.mp4/stream', '/api/videos/clip.mp4/stream'];
  const methods = ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
  it.each(methods.flatMap((method) => targets.map((target) => [method, target])))(
    '%s %s answers 404 or 405 (with Allow) as JSON, never 5xx',
    async (method, target) => {
      const res = await get(target, method);
      expectJsonError(res, [404, 405]);
      if (res.status === 405) {
        expect(typeof res.headers.allow).toBe('string');
        expect(String(res.headers.allow)).toMatch(/\bGET\b/);
      }
    },
  );
});
