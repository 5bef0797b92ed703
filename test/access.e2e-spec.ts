import { createHmac } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BytesResponse, expectBytes, fetchBytes, header, patternBytes } from './support/http.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

const KEY = 'new-signing-key-0123456789abcdefghijkl';
const OLD_KEY = 'old-signing-key-0123456789abcdefghijkl';
const API_KEY = 'api-key-0123456789abcdefghij';
const SIGNED_ENV = { ACCESS_MODE: 'signed', SIGNING_KEYS: `${KEY},${OLD_KEY}`, API_KEYS: API_KEY, CACHE_MAX_AGE: '3600', LINK_TTL_SECONDS: '120' };
const ID = 'folder/ünï clip.mp4';
const OTHER = 'other.webm';
const BYTES = patternBytes(100_000);
const now = (): number => Math.floor(Date.now() / 1000);

/** The contract's rule, written out here as another backend would. */
function sign(id: string, expires: number | string, key = KEY): string {
  return createHmac('sha256', key).update(`${id}\n${expires}`, 'utf8').digest('base64url');
}
function query(id: string, expires = now() + 600, key = KEY): string {
  return `expires=${expires}&signature=${sign(id, expires, key)}`;
}
const stream = (id: string): string => `/api/videos/${encodeURIComponent(id)}/stream`;

function expectJson403(res: BytesResponse, word: 'expired' | 'invalid'): void {
  expect(res.status).toBe(403);
  expect(header(res, 'content-type')).toBe('application/json; charset=utf-8');
  const body = JSON.parse(res.body.toString()) as { statusCode: number; error: string; message: string };
  expect(body).toEqual({ statusCode: 403, error: 'Forbidden', message: word === 'expired' ? 'This link has expired.' : 'This link is invalid.' });
}

let root: string;
beforeAll(async () => {
  root = await makeMediaRoot();
  await mkdir(path.join(root, 'folder'));
  await writeFile(path.join(root, ID), BYTES);
  await writeFile(path.join(root, OTHER), patternBytes(5000, 3));
});
afterAll(async () => {
  await removeRoot(root);
});

// The fast path answers canonical stream URLs; with it off, the Nest route does.
describe.each([
  ['the fast path', true],
  ['the Nest route', false],
])('signed mode, stream served by %s', (_name, streamFastPath) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(root, SIGNED_ENV, { streamFastPath });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the exact bytes of a range to a valid link, privately cached until it expires', async () => {
    const expires = now() + 600;
    const res = await fetchBytes(t.baseUrl, `${stream(ID)}?${query(ID, expires)}`, { headers: { Range: 'bytes=1000-1999' } });
    expect(res.status).toBe(206);
    expectBytes(res.body, BYTES.subarray(1000, 2000));
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(header(res, 'cache-control') ?? '')?.[1]);
    expect(maxAge).toBeLessThanOrEqual(600);
    expect(maxAge).toBeGreaterThan(0);
  });

  it('caps max-age at CACHE_MAX_AGE for a long link', async () => {
    const res = await fetchBytes(t.baseUrl, `${stream(ID)}?${query(ID, now() + 86_400)}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(header(res, 'cache-control')).toBe('private, max-age=3600');
  });

  it('serves download=1 and the whole file with the same signature, in any parameter order', async () => {
    const expires = now() + 600;
    const res = await fetchBytes(t.baseUrl, `${stream(ID)}?download=1&signature=${sign(ID, expires)}&expires=${expires}`);
    expect(res.status).toBe(200);
    expect(header(res, 'content-disposition')).toContain('attachment');
    expectBytes(res.body, BYTES);
  });

  it('accepts a link signed with an older key still listed', async () => {
    const res = await fetchBytes(t.baseUrl, `${stream(ID)}?${query(ID, now() + 600, OLD_KEY)}`);
    expect(res.status).toBe(200);
    expectBytes(res.body, BYTES);
  });

  it('answers a missing ID exactly as a present one without a link, before storage is asked', async () => {
    for (const method of ['GET', 'HEAD']) {
      const present = await fetchBytes(t.baseUrl, stream(ID), { method });
      const missing = await fetchBytes(t.baseUrl, stream('nothing/here.mp4'), { method });
      expect(present.status).toBe(403);
      expect(missing.status).toBe(403);
      expect(missing.body.equals(present.body)).toBe(true);
      expect(header(missing, 'content-length')).toBe(header(present, 'content-length'));
    }
    // A missing item with a valid link is then a 404 as before.
    expect((await fetchBytes(t.baseUrl, `${stream('nothing.mp4')}?${query('nothing.mp4')}`)).status).toBe(404);
  });

  it('says expired for a genuine link past its time', async () => {
    expectJson403(await fetchBytes(t.baseUrl, `${stream(ID)}?${query(ID, now() - 5)}`), 'expired');
  });

  const expires = now() + 600;
  const good = sign(ID, expires);
  it.each<[string, string]>([
    ['no parameters', ''],
    ['no signature', `?expires=${expires}`],
    ['no expires', `?signature=${good}`],
    ['another item\'s signature', `?expires=${expires}&signature=${sign(OTHER, expires)}`],
    ['a key that is not configured', `?${query(ID, expires, 'k'.repeat(40))}`],
    ['a changed expires', `?expires=${expires + 1}&signature=${good}`],
    ['a doubled signature', `?expires=${expires}&signature=${good}&signature=${good}`],
    ['a doubled expires', `?expires=${expires}&expires=${expires}&signature=${good}`],
    ['padding', `?expires=${expires}&signature=${good}%3D`],
    ['hex', `?expires=${expires}&signature=${Buffer.from(good, 'base64url').toString('hex')}`],
    ['standard base64', `?expires=${expires}&signature=${encodeURIComponent(Buffer.from(good, 'base64url').toString('base64'))}`],
    ['a plus sign in expires', `?expires=%2B${expires}&signature=${good}`],
    ['a huge expires', `?expires=99999999999999999999&signature=${sign(ID, '99999999999999999999')}`],
    ['a percent-encoded ID signed', `?${query(encodeURIComponent(ID), expires)}`],
  ])('refuses %s with 403 invalid, never echoing the signature', async (_name, search) => {
    const res = await fetchBytes(t.baseUrl, `${stream(ID)}${search}`, { headers: { Range: 'bytes=0-9' } });
    expectJson403(res, 'invalid');
    expect(res.body.toString()).not.toContain(good);
    expect(res.body.toString()).not.toContain(KEY);
  });

  it('refuses a malformed ID with the same 403 when unsigned', async () => {
    const res = await fetchBytes(t.baseUrl, `/api/videos/..%2Fetc%2Fpasswd/stream`);
    expectJson403(res, 'invalid');
  });
});

describe('signed mode, JSON API and pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(root, SIGNED_ENV);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each<[string, string, string]>([
    ['GET', '/api/videos', ''],
    ['GET', `/api/videos/${encodeURIComponent(ID)}`, ''],
    ['POST', `/api/videos/${encodeURIComponent(ID)}/links`, ''],
    ['GET', '/api/videos', 'wrong-api-key-0123456789abcdef'],
  ])('%s %s without a known API key: 401 with the challenge', async (method, url, key) => {
    const res = await fetchBytes(t.baseUrl, url, { method, headers: key === '' ? {} : { 'X-API-Key': key } });
    expect(res.status).toBe(401);
    expect(header(res, 'www-authenticate')).toBe('Bearer realm="media"');
    expect(JSON.parse(res.body.toString())).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'The API key is missing or invalid.' });
  });

  it('lists with signed URLs that expire after LINK_TTL_SECONDS, and they play', async () => {
    const res = await fetchBytes(t.baseUrl, '/api/videos', { headers: { Authorization: `Bearer ${API_KEY}` } });
    expect(res.status).toBe(200);
    expect(header(res, 'cache-control')).toBe('private, no-store');
    const { items } = JSON.parse(res.body.toString()) as { items: Array<{ id: string; streamUrl: string; watchUrl: string }> };
    const item = items.find((candidate) => candidate.id === ID);
    expect(item).toBeDefined();
    const url = new URL(item!.streamUrl, t.baseUrl);
    expect(url.pathname).toBe(stream(ID));
    const expires = Number(url.searchParams.get('expires'));
    expect(expires - now()).toBeLessThanOrEqual(120);
    expect(expires - now()).toBeGreaterThan(60);
    expect(url.searchParams.get('signature')).toBe(sign(ID, expires));
    expect(new URL(item!.watchUrl, t.baseUrl).search).toBe(url.search);
    const bytes = await fetchBytes(t.baseUrl, item!.streamUrl, { headers: { Range: 'bytes=-100' } });
    expect(bytes.status).toBe(206);
    expectBytes(bytes.body, BYTES.subarray(BYTES.length - 100));
  });

  it('answers one item with signed URLs, by X-API-Key', async () => {
    const res = await fetchBytes(t.baseUrl, `/api/videos/${encodeURIComponent(OTHER)}`, { headers: { 'X-API-Key': API_KEY } });
    expect(res.status).toBe(200);
    const item = JSON.parse(res.body.toString()) as { streamUrl: string };
    expect(item.streamUrl).toMatch(/^\/api\/videos\/other\.webm\/stream\?expires=\d+&signature=[A-Za-z0-9_-]{43}$/);
  });

  it('mints links with a chosen lifetime', async () => {
    const before = now();
    const res = await fetchBytes(t.baseUrl, `/api/videos/${encodeURIComponent(ID)}/links`, {
      method: 'POST',
      headers: { 'X-API-Key': API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ expiresIn: 30 }),
    });
    expect(res.status).toBe(201);
    const links = JSON.parse(res.body.toString()) as Record<string, string>;
    expect(Object.keys(links).sort()).toEqual(['embedUrl', 'expiresAt', 'posterUrl', 'streamUrl', 'watchUrl']);
    const expires = Date.parse(links.expiresAt) / 1000;
    expect(expires).toBeGreaterThanOrEqual(before + 30);
    expect(expires).toBeLessThanOrEqual(now() + 30);
    const q = `?expires=${expires}&signature=${sign(ID, expires)}`;
    const encoded = encodeURIComponent(ID);
    expect(links).toMatchObject({
      streamUrl: `/api/videos/${encoded}/stream${q}`,
      watchUrl: `/watch/${encoded}${q}`,
      embedUrl: `/embed/${encoded}${q}`,
      posterUrl: `/api/videos/${encoded}/poster${q}`,
    });
    const bytes = await fetchBytes(t.baseUrl, links.streamUrl);
    expectBytes(bytes.body, BYTES);
  });

  it('mints links for LINK_TTL_SECONDS without a body', async () => {
    const res = await fetchBytes(t.baseUrl, `/api/videos/${encodeURIComponent(ID)}/links`, { method: 'POST', headers: { 'X-API-Key': API_KEY } });
    expect(res.status).toBe(201);
    const expires = Date.parse((JSON.parse(res.body.toString()) as { expiresAt: string }).expiresAt) / 1000;
    expect(expires - now()).toBeGreaterThan(60);
    expect(expires - now()).toBeLessThanOrEqual(120);
  });

  it.each<[string, string, string, number]>([
    ['a lifetime too long', 'application/json', '{"expiresIn":604801}', 400],
    ['a lifetime of zero', 'application/json', '{"expiresIn":0}', 400],
    ['a string lifetime', 'application/json', '{"expiresIn":"60"}', 400],
    ['an unknown field', 'application/json', '{"ttl":60}', 400],
    ['broken JSON', 'application/json', '{"expiresIn":', 400],
    ['an array', 'application/json', '[60]', 400],
    ['a body that is not JSON', 'text/plain', 'expiresIn=60', 400],
  ])('refuses %s with a 400', async (_name, type, body, status) => {
    const res = await fetchBytes(t.baseUrl, `/api/videos/${encodeURIComponent(ID)}/links`, {
      method: 'POST',
      headers: { 'X-API-Key': API_KEY, 'Content-Type': type },
      body,
    });
    expect(res.status).toBe(status);
    expect((JSON.parse(res.body.toString()) as { statusCode: number }).statusCode).toBe(status);
  });

  it('answers 404 for links to an unknown item', async () => {
    const res = await fetchBytes(t.baseUrl, `/api/videos/missing.mp4/links`, { method: 'POST', headers: { 'X-API-Key': API_KEY } });
    expect(res.status).toBe(404);
  });

  it.each(['watch', 'embed'])('puts the link on every URL of the item on /%s', async (kind) => {
    const expires = now() + 600;
    const q = `expires=${expires}&signature=${sign(ID, expires)}`;
    const res = await fetchBytes(t.baseUrl, `/${kind}/${encodeURIComponent(ID)}?${q}`);
    expect(res.status).toBe(200);
    const html = res.body.toString();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1].replace(/&amp;/g, '&'));
    const itemUrls = urls.filter((url) => url.includes(encodeURIComponent(ID)));
    expect(itemUrls.length).toBeGreaterThanOrEqual(kind === 'watch' ? 2 : 1);
    for (const url of itemUrls) expect(url).toContain(q);
    if (kind === 'watch') {
      expect(html).toContain(`/embed/${encodeURIComponent(ID)}?${q.replace('&', '&amp;')}`);
      expect(urls).toContain(`${stream(ID)}?${q}&download=1`);
    }
  });

  it.each(['watch', 'embed'])('answers /%s without a valid link with a short HTML 403', async (kind) => {
    for (const [search, word] of [['', 'invalid'], [`?${query(ID, now() - 10)}`, 'expired'], [`?${query(OTHER)}`, 'invalid']]) {
      const present = await fetchBytes(t.baseUrl, `/${kind}/${encodeURIComponent(ID)}${search}`);
      expect(present.status).toBe(403);
      expect(header(present, 'content-type')).toBe('text/html; charset=utf-8');
      expect(present.body.toString()).toContain(word);
    }
    const missing = await fetchBytes(t.baseUrl, `/${kind}/missing.mp4`);
    const present = await fetchBytes(t.baseUrl, `/${kind}/${encodeURIComponent(ID)}`);
    expect(missing.status).toBe(403);
    expect(missing.body.equals(present.body)).toBe(true);
  });

  it('answers / with 403, and keeps /health and /docs-json public', async () => {
    const library = await fetchBytes(t.baseUrl, '/');
    expect(library.status).toBe(403);
    expect(library.body.toString()).not.toContain(ID);
    expect((await fetchBytes(t.baseUrl, '/health')).status).toBe(200);
    expect((await fetchBytes(t.baseUrl, '/docs-json')).status).toBe(200);
  });
});

describe('public mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(root);
  });
  afterAll(async () => {
    await t.close();
  });

  it('has no links route', async () => {
    const res = await fetchBytes(t.baseUrl, `/api/videos/${encodeURIComponent(ID)}/links`, { method: 'POST', headers: { 'X-API-Key': API_KEY } });
    expect(res.status).toBe(404);
  });

  it('ignores signature parameters and keeps public caching', async () => {
    const res = await fetchBytes(t.baseUrl, `${stream(ID)}?expires=1&signature=nonsense`);
    expect(res.status).toBe(200);
    expect(header(res, 'cache-control')).toBe('public, max-age=3600');
  });
});
