import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Browser, Page, chromium } from 'playwright-core';
import { StartedS3Backend, startS3Backend } from './support/s3-backend.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

// As in browser.e2e-spec.ts: Debian's chromium, mandatory in CI.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const suite = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;

const KEY = 'browser-test-signing-key-0123456789abc';
const SIGNED = { ACCESS_MODE: 'signed', SIGNING_KEYS: KEY, API_KEYS: 'browser-test-api-key-0123456' };

function signedQuery(id: string): string {
  const expires = Math.floor(Date.now() / 1000) + 600;
  return `expires=${expires}&signature=${createHmac('sha256', KEY).update(`${id}\n${expires}`, 'utf8').digest('base64url')}`;
}

/** Plays the page's video, seeks near the end and checks that it plays on from there. */
async function playAndSeek(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const video = document.querySelector('video') as HTMLVideoElement;
    video.muted = true;
    await video.play();
  });
  await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).currentTime > 0.3, undefined, { timeout: 20_000 });
  const target = await page.evaluate(async () => {
    const video = document.querySelector('video') as HTMLVideoElement;
    const seekTo = video.duration - 2;
    const seeked = new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
    video.currentTime = seekTo;
    await seeked;
    return seekTo;
  });
  await page.waitForFunction(
    (from) => {
      const video = document.querySelector('video') as HTMLVideoElement;
      return video.currentTime > from + 0.3 && !video.paused;
    },
    target,
    { timeout: 20_000 },
  );
  const error = await page.evaluate(() => (document.querySelector('video') as HTMLVideoElement).error?.code ?? null);
  expect(error).toBeNull();
}

suite('signed links and S3 redirects in a real browser (chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function withPage<T>(run: (page: Page) => Promise<T>): Promise<T> {
    const page = await browser.newPage();
    try {
      return await run(page);
    } finally {
      await page.close();
    }
  }

  describe('a signed watch page on the file system', () => {
    let t: TestApp;
    const statuses: number[] = [];
    beforeAll(async () => {
      const root = await makeMediaRoot();
      await copyFile(path.join(FIXTURES, 'clip.webm'), path.join(root, 'clip.webm'));
      t = await startApp(root, SIGNED);
      t.app.getHttpServer().on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
        res.on('finish', () => {
          if ((req.url ?? '').includes('/stream')) statuses.push(res.statusCode);
        });
      });
    });
    afterAll(async () => {
      await t?.close();
      if (t) await removeRoot(t.root);
    });

    it('plays and seeks with the page\'s own link on the video', async () => {
      await withPage(async (page) => {
        await page.goto(`${t.baseUrl}/watch/clip.webm?${signedQuery('clip.webm')}`);
        await playAndSeek(page);
      });
      expect(statuses).toContain(206);
      expect(statuses.filter((status) => status === 403)).toEqual([]);
    }, 60_000);

    it('does not play the video of an unsigned page', async () => {
      await withPage(async (page) => {
        const response = await page.goto(`${t.baseUrl}/watch/clip.webm`);
        expect(response?.status()).toBe(403);
        expect(await page.locator('video').count()).toBe(0);
      });
    }, 60_000);
  });

  describe('S3_DELIVERY=redirect', () => {
    let s3: StartedS3Backend;
    beforeAll(async () => {
      s3 = await startS3Backend({ 'clip.mp4': await readFile(path.join(FIXTURES, 'clip.mp4')) }, { env: { S3_DELIVERY: 'redirect', ...SIGNED } });
    }, 30_000);
    afterAll(async () => {
      await s3?.close();
    });

    it('plays and seeks a signed page whose bytes come from the object store', async () => {
      s3.s3.requests.length = 0;
      await withPage(async (page) => {
        await page.goto(`${s3.baseUrl}/watch/clip.mp4?${signedQuery('clip.mp4')}`);
        await playAndSeek(page);
      });
      // The browser's ranges went to the store itself, through the presigned URL.
      const ranged = s3.s3.requests.filter((request) => request.method === 'GET' && request.url.includes('X-Amz-Signature') && request.range !== undefined);
      expect(ranged.length).toBeGreaterThan(0);
    }, 60_000);
  });
});
