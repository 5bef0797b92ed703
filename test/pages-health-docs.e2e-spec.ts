import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fetchBytes, patternBytes } from './support/http.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

const XSS_NAME = '<img src=x onerror=alert(1)>.mp4';

describe('player pages, health and docs', () => {
  let t: TestApp;

  beforeAll(async () => {
    const root = await makeMediaRoot();
    await mkdir(path.join(root, 'trailers'));
    await writeFile(path.join(root, 'trailers', 'big buck bunny.webm'), patternBytes(5000));
    await writeFile(path.join(root, XSS_NAME), patternBytes(1234));
    for (let i = 0; i < 60; i++) {
      await writeFile(path.join(root, `episode-${String(i).padStart(2, '0')}.mp3`), patternBytes(10 + i));
    }
    t = await startApp(root);
  });
  afterAll(async () => {
    await t.close();
    await removeRoot(t.root);
  });

  const get = (url: string, headers: Record<string, string> = {}) => fetchBytes(t.baseUrl, url, { headers });

  describe('library page /', () => {
    it('lists items with links to their watch pages, names escaped', async () => {
      const res = await get('/?q=.');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const html = (await get('/?q=.&page=2')).body.toString('utf8') + res.body.toString('utf8');
      expect(html).toContain('href="/watch/trailers%2Fbig%20buck%20bunny.webm"');
      expect(html).toContain('big buck bunny.webm');
      expect(html).toContain('trailers');
      expect(html).toContain('4.9 KiB');
      expect(html).toContain('<span class="icon">▶</span>');
      expect(html).toContain('<span class="icon">♪</span>');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.mp4');
      expect(html).toContain('62 items');
      expect(html).toContain('rel="next"');
    });

    it('filters by type and sorts by size, keeping both in its links', async () => {
      const audio = (await get('/?type=audio&sort=size&order=desc')).body.toString('utf8');
      expect(audio).not.toContain('big buck bunny.webm');
      const names = [...audio.matchAll(/<span class="title">([^<]*)<\/span>/g)].map((match) => match[1]);
      expect(names.slice(0, 3)).toEqual(['episode-59.mp3', 'episode-58.mp3', 'episode-57.mp3']);
      expect(audio).toContain('<option value="audio" selected>');
      expect(audio).toContain('href="/?type=audio&amp;sort=size&amp;order=desc&amp;page=2"');
      // Unknown choices fall back to the defaults instead of failing the page.
      expect((await get('/?sort=nonsense&type=x&order=up')).status).toBe(200);
    });

    it('searches with q and pages', async () => {
      const found = (await get('/?q=BUNNY')).body.toString('utf8');
      expect(found).toContain('big buck bunny.webm');
      expect(found).not.toContain('episode-00.mp3');
      const second = (await get('/?page=2')).body.toString('utf8');
      expect(second).toContain('page 2 of 2');
      expect(second).toContain('episode-59.mp3');
      expect(second).not.toContain('episode-00.mp3');
    });
  });

  describe('watch page /watch/:id', () => {
    it('has a video player on the stream URL, a download link and an embed snippet', async () => {
      const res = await get('/watch/trailers%2Fbig%20buck%20bunny.webm');
      expect(res.status).toBe(200);
      const html = res.body.toString('utf8');
      expect(html).toMatch(/<video[^>]* controls[^>]* preload="metadata"[^>]* src="\/api\/videos\/trailers%2Fbig%20buck%20bunny.webm\/stream"/);
      expect(html).toContain('href="/api/videos/trailers%2Fbig%20buck%20bunny.webm/stream?download=1"');
      expect(html).toContain(`&lt;iframe src=&quot;${t.baseUrl}/embed/trailers%2Fbig%20buck%20bunny.webm&quot;`);
    });

    it('escapes a hostile name and still links its stream', async () => {
      const id = encodeURIComponent(XSS_NAME);
      const html = (await get(`/watch/${id}`)).body.toString('utf8');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain(`src="/api/videos/${id}/stream"`);
      const stream = await get(`/api/videos/${id}/stream`);
      expect(stream.status).toBe(200);
      expect(stream.body.equals(patternBytes(1234))).toBe(true);
    });

    it.each([
      ['/watch/nope.mp4', 404],
      ['/embed/nope.mp4', 404],
      ['/watch/..%2Fsecret.mp4', 400],
    ])('%s answers an HTML %i page', async (url, status) => {
      const res = await get(url);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    });
  });

  describe('embed page /embed/:id', () => {
    it('is a bare player that any site may frame by default', async () => {
      const res = await get('/embed/trailers%2Fbig%20buck%20bunny.webm');
      expect(res.status).toBe(200);
      expect(res.body.toString('utf8')).toMatch(/<video[^>]* src="\/api\/videos\/trailers%2Fbig%20buck%20bunny.webm\/stream"/);
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.headers['content-security-policy']).toBeUndefined();
    });
  });

  describe('/health', () => {
    it('is ok while MEDIA_ROOT can be read and 503 when it cannot', async () => {
      const ok = await get('/health');
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body.toString('utf8'))).toMatchObject({ status: 'ok' });

      const away = `${t.root}-away`;
      await rename(t.root, away);
      try {
        const down = await get('/health');
        expect(down.status).toBe(503);
        const body = down.body.toString('utf8');
        expect(JSON.parse(body)).toMatchObject({ status: 'error' });
        expect(body).not.toContain(t.root);
      } finally {
        await rename(away, t.root);
      }
      expect((await get('/health')).status).toBe(200);
    });
  });

  describe('/docs and /docs-json', () => {
    it('documents every JSON route, its query parameters, schemas and the error shape', async () => {
      const res = await get('/docs-json');
      expect(res.status).toBe(200);
      const doc = JSON.parse(res.body.toString('utf8')) as {
        openapi: string;
        paths: Record<string, Record<string, { parameters?: Array<{ name: string }>; description?: string }>>;
        components: { schemas: Record<string, { properties: Record<string, unknown> }> };
      };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/api/videos', '/api/videos/{id}', '/api/videos/{id}/stream', '/health']),
      );
      const listParams = doc.paths['/api/videos'].get.parameters?.map((p) => p.name);
      expect(listParams).toEqual(expect.arrayContaining(['limit', 'offset', 'q']));
      expect(doc.paths['/api/videos/{id}/stream'].get.description).toMatch(/multipart\/byteranges/);
      expect(Object.keys(doc.components.schemas.VideoDto.properties)).toEqual(
        expect.arrayContaining(['id', 'name', 'size', 'mimeType', 'modifiedAt', 'etag', 'streamUrl', 'watchUrl']),
      );
      expect(Object.keys(doc.components.schemas.ApiErrorDto.properties)).toEqual(['statusCode', 'error', 'message']);
    });

    it('serves the UI with its own assets (no CDN)', async () => {
      const res = await get('/docs');
      expect(res.status).toBe(200);
      const html = res.body.toString('utf8');
      expect(html).toContain('swagger-ui');
      expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)[^"']*\.(js|css)/);
      const asset = /src="([^"]*swagger-ui-bundle\.js)"/.exec(html);
      expect(asset).not.toBeNull();
      const bundle = await get(new URL(asset![1], `${t.baseUrl}/docs`).pathname);
      expect(bundle.status).toBe(200);
    });
  });

  describe('CORS', () => {
    it('sends no CORS headers by default and no restrictive resource policy', async () => {
      const res = await get('/api/videos/trailers%2Fbig%20buck%20bunny.webm/stream', { Origin: 'https://elsewhere.example' });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['cross-origin-resource-policy']).toBeUndefined();
    });
  });
});

describe('CORS and embedding when configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    const root = await makeMediaRoot();
    await writeFile(path.join(root, 'clip.mp4'), patternBytes(3000));
    t = await startApp(root, {
      CORS_ORIGINS: 'https://player.example,https://other.example',
      EMBED_ALLOWED_ORIGINS: 'https://blog.example',
    });
  });
  afterAll(async () => {
    await t.close();
    await removeRoot(t.root);
  });

  it('answers a preflight for Range from an allowed origin', async () => {
    const res = await fetchBytes(t.baseUrl, '/api/videos/clip.mp4/stream', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://player.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range,if-range',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://player.example');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toEqual(expect.stringContaining('range'));
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toEqual(expect.stringContaining('if-range'));
  });

  it('exposes the range headers on a cross-origin 206 and not to other origins', async () => {
    const res = await fetchBytes(t.baseUrl, '/api/videos/clip.mp4/stream', {
      headers: { Origin: 'https://other.example', Range: 'bytes=0-9' },
    });
    expect(res.status).toBe(206);
    expect(res.body.equals(patternBytes(3000).subarray(0, 10))).toBe(true);
    expect(res.headers['access-control-allow-origin']).toBe('https://other.example');
    const exposed = String(res.headers['access-control-expose-headers']);
    for (const name of ['Content-Range', 'Content-Length', 'Accept-Ranges', 'ETag']) {
      expect(exposed).toContain(name);
    }
    const stranger = await fetchBytes(t.baseUrl, '/api/videos/clip.mp4/stream', { headers: { Origin: 'https://evil.example' } });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('limits who may frame the embed page', async () => {
    const res = await fetchBytes(t.baseUrl, '/embed/clip.mp4');
    expect(res.headers['content-security-policy']).toBe("frame-ancestors 'self' https://blog.example");
    expect(res.headers['x-frame-options']).toBeUndefined();
  });
});
