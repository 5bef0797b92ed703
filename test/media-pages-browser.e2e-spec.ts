import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { Browser, Page, chromium } from 'playwright-core';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

// Debian's chromium and ffmpeg, installed by .ci/run.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const suite = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;
const run = promisify(execFile);

const VTT = 'WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nHello from the sidecar\n';

suite('posters and subtitles in a real browser (chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  const posterAnswers: number[] = [];

  beforeAll(async () => {
    const root = await makeMediaRoot();
    // Colour bars with a tone: a frame of it is anything but black.
    await run('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=4', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4',
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', path.join(root, 'clip.mp4')]);
    await writeFile(path.join(root, 'clip.en.vtt'), VTT);
    await writeFile(path.join(root, 'clip.pt-BR.srt'), '1\r\n00:00:00,000 --> 00:00:02,000\r\nOlá\r\n');
    t = await startApp(root, { CATALOG_RESCAN_SECONDS: '1' });
    t.app.getHttpServer().on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      res.on('finish', () => {
        if ((req.url ?? '').includes('/poster')) posterAnswers.push(res.statusCode);
      });
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (t) await removeRoot(t.root);
  });

  async function withPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
    const page = await browser.newPage();
    try {
      return await use(page);
    } finally {
      await page.close();
    }
  }

  it('shows the poster on the watch page before play, and a subtitle track loads its cues', async () => {
    await withPage(async (page) => {
      await page.goto(`${t.baseUrl}/watch/clip.mp4`);
      const poster = await page.evaluate(async () => {
        const video = document.querySelector('video') as HTMLVideoElement;
        const image = new Image();
        image.src = video.poster;
        await image.decode();
        return { paused: video.paused, width: image.naturalWidth, height: image.naturalHeight };
      });
      expect(poster.paused).toBe(true);
      expect(poster.width).toBe(640);
      expect(poster.height).toBe(360);

      const tracks = await page.evaluate(() => [...document.querySelectorAll('track')].map((track) => [track.label, track.srclang]));
      expect(tracks).toEqual([['English', 'en'], ['Brazilian Portuguese', 'pt-BR']]);
      const cues = await page.evaluate(async () => {
        const element = document.querySelector('track[srclang="pt-BR"]') as HTMLTrackElement;
        element.track.mode = 'showing';
        await new Promise<void>((resolve, reject) => {
          if (element.readyState === 2) resolve();
          element.addEventListener('load', () => resolve());
          element.addEventListener('error', () => reject(new Error('track failed to load')));
        });
        return [...(element.track.cues ?? [])].map((cue) => [(cue as VTTCue).text, cue.startTime, cue.endTime]);
      });
      expect(cues).toEqual([['Olá', 0, 2]]);
    });
    expect(posterAnswers).toContain(200);
  }, 60_000);

  it('lists the item as a card whose lazy thumbnail loads at 320 pixels wide', async () => {
    await withPage(async (page) => {
      // The catalog fills and probes in the background: reload until the card is complete.
      let thumbnail = 0;
      for (let attempt = 0; attempt < 60 && thumbnail !== 320; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
        await page.goto(`${t.baseUrl}/`);
        thumbnail = await page.evaluate(async () => {
          const image = document.querySelector('li.card img') as HTMLImageElement | null;
          if (image === null || document.querySelector('li.card .badge') === null) return 0;
          await image.decode().catch(() => undefined);
          return image.naturalWidth;
        });
      }
      expect(thumbnail).toBe(320);
      expect(await page.textContent('li.card .badge')).toBe('0:04');
      expect(await page.textContent('li.card .meta')).toContain('640×360');
    });
  }, 60_000);
});
