import { copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import http, { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Browser, Page, chromium } from 'playwright-core';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

// Debian's chromium, installed by .ci/run; browsers cannot be downloaded here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
// In CI a missing browser must fail the run, not skip the test.
const suite = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;

suite('in a real browser (chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let framingSite: Server;
  let partials = 0;

  beforeAll(async () => {
    const root = await makeMediaRoot();
    await copyFile(path.join(FIXTURES, 'clip.mp4'), path.join(root, 'clip.mp4'));
    await copyFile(path.join(FIXTURES, 'clip.webm'), path.join(root, 'clip.webm'));
    t = await startApp(root);
    // Counted at the server: the browser may answer later ranges from its cache.
    t.app.getHttpServer().on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.on('finish', () => {
        if (res.statusCode === 206) partials++;
      });
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    framingSite = http.createServer((req, res) => {
      const id = decodeURIComponent((req.url ?? '/').slice(1));
      res.setHeader('Content-Type', 'text/html');
      res.end(`<!doctype html><iframe id="player" width="640" height="360" src="${t.baseUrl}/embed/${encodeURIComponent(id)}"></iframe>`);
    });
    await new Promise<void>((resolve) => framingSite.listen(0, '127.0.0.1', resolve));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => framingSite?.close(resolve));
    await t?.close();
    if (t) await removeRoot(t.root);
  });

  async function withPage<T>(run: (page: Page) => Promise<T>): Promise<T> {
    const page = await browser.newPage();
    try {
      return await run(page);
    } finally {
      await page.close();
    }
  }

  it.each(['clip.mp4', 'clip.webm'])('plays %s on its watch page, seeks near the end and resumes there', async (id) => {
    partials = 0;
    await withPage(async (page) => {
      await page.goto(`${t.baseUrl}/watch/${encodeURIComponent(id)}`);
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
      const state = await page.evaluate(() => {
        const video = document.querySelector('video') as HTMLVideoElement;
        return { error: video.error === null ? null : video.error.code, currentTime: video.currentTime, duration: video.duration };
      });
      expect(state.error).toBeNull();
      expect(state.duration).toBeGreaterThan(7);
      expect(state.currentTime).toBeGreaterThan(target);
    });
    expect(partials).toBeGreaterThan(0);
  }, 60_000);

  it('loads the embedded player from a page on another origin', async () => {
    const site = `http://127.0.0.1:${(framingSite.address() as AddressInfo).port}`;
    await withPage(async (page) => {
      await page.goto(`${site}/clip.webm`);
      const frame = await (await page.waitForSelector('#player')).contentFrame();
      expect(frame).not.toBeNull();
      await frame!.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).readyState >= 1, undefined, { timeout: 20_000 });
      const duration = await frame!.evaluate(() => (document.querySelector('video') as HTMLVideoElement).duration);
      expect(duration).toBeGreaterThan(7);
    });
  }, 60_000);
});
