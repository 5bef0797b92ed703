import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';
import { expectBytes, fetchBytes } from './support/http.js';
import { CLIP_MP4, DEFAULT_VTT, EN_SRT, EN_VTT, ITEM, PT_BR_SRT } from './support/subtitle-files.js';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

// Debian's chromium, installed by .ci/run; in CI a missing browser fails the run.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const browserSuite = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;
const KEY = 'subtitle-pages-signing-key-0123456789ab';
const SIGNED = { ACCESS_MODE: 'signed', SIGNING_KEYS: KEY, API_KEYS: 'subtitle-pages-api-key-012345' };
const PAGE_ID = encodeURIComponent(ITEM);

function signedQuery(id: string): string {
  const expires = Math.floor(Date.now() / 1000) + 600;
  return `expires=${expires}&signature=${createHmac('sha256', KEY).update(`${id}\n${expires}`, 'utf8').digest('base64url')}`;
}

interface TrackTag {
  srclang: string | null;
  label: string;
  src: string;
}

/** The `<track>` elements of a page, attributes unescaped. */
function tracksIn(html: string): TrackTag[] {
  const attribute = (tag: string, name: string): string | null => {
    const value = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    return value === undefined ? null : value.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  };
  return [...html.matchAll(/<track [^>]*>/g)].map(([tag]) => ({ srclang: attribute(tag, 'srclang'), label: attribute(tag, 'label') ?? '', src: attribute(tag, 'src') ?? '' }));
}

let root: string;
beforeAll(async () => {
  root = await makeMediaRoot();
  await mkdir(path.join(root, 'show'));
  await writeFile(path.join(root, ITEM), CLIP_MP4);
  await writeFile(path.join(root, 'show', 'clip.vtt'), DEFAULT_VTT);
  await writeFile(path.join(root, 'show', 'clip.en.srt'), EN_SRT);
  await writeFile(path.join(root, 'show', 'clip.pt-BR.srt'), PT_BR_SRT);
  await writeFile(path.join(root, 'other.mp4'), CLIP_MP4);
});
afterAll(async () => {
  await removeRoot(root);
});

describe('player pages list the subtitle tracks', () => {
  let t: TestApp;
  let signed: TestApp;
  beforeAll(async () => {
    t = await startApp(root);
    signed = await startApp(root, SIGNED);
  });
  afterAll(async () => {
    await t.close();
    await signed.close();
  });

  it.each(['watch', 'embed'])('gives /%s/:id one <track kind="subtitles"> per track, sorted, each loading', async (pageName) => {
    const html = (await fetchBytes(t.baseUrl, `/${pageName}/${PAGE_ID}`)).body.toString();
    expect(html.match(/<track kind="subtitles"/g)).toHaveLength(3);
    expect(tracksIn(html)).toEqual([
      { srclang: null, label: 'Subtitles', src: `/api/videos/${PAGE_ID}/subtitles/default` },
      { srclang: 'en', label: 'English', src: `/api/videos/${PAGE_ID}/subtitles/en` },
      { srclang: 'pt-BR', label: 'Brazilian Portuguese', src: `/api/videos/${PAGE_ID}/subtitles/pt-BR` },
    ]);
    expectBytes((await fetchBytes(t.baseUrl, tracksIn(html)[1].src)).body, EN_VTT);
  });

  it('documents the subtitles route in /docs-json, GET and HEAD, with its parameters', async () => {
    type Operation = { parameters?: Array<{ name: string }>; responses: Record<string, { content?: Record<string, unknown> }> };
    const doc = JSON.parse((await fetchBytes(t.baseUrl, '/docs-json')).body.toString()) as { paths: Record<string, Record<string, Operation>> };
    const route = doc.paths['/api/videos/{id}/subtitles/{track}'];
    expect(Object.keys(route).sort()).toEqual(['get', 'head']);
    expect(route.get.parameters?.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['id', 'track', 'expires', 'signature', 'If-None-Match']));
    expect(Object.keys(route.get.responses)).toEqual(expect.arrayContaining(['200', '304', '400', '403', '404', '412']));
    expect(Object.keys(route.get.responses['200'].content ?? {})).toEqual(['text/vtt']);
  });

  it('gives an item without sidecars no <track>', async () => {
    expect((await fetchBytes(t.baseUrl, '/watch/other.mp4')).body.toString()).not.toContain('<track');
  });

  it.each(['watch', 'embed'])("signs each track of a signed /%s page with the page's link", async (pageName) => {
    const query = signedQuery(ITEM);
    const html = (await fetchBytes(signed.baseUrl, `/${pageName}/${PAGE_ID}?${query}`)).body.toString();
    const tracks = tracksIn(html);
    expect(tracks).toHaveLength(3);
    for (const track of tracks) {
      expect(track.src).toContain(`?${query}`);
      expect((await fetchBytes(signed.baseUrl, track.src)).status).toBe(200);
      expect((await fetchBytes(signed.baseUrl, track.src.slice(0, track.src.indexOf('?')))).status).toBe(403);
    }
  });
});

browserSuite('subtitle tracks in a real browser (chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startApp(root, SIGNED);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Shows the track in `language` and answers the text of its cues once loaded. */
  async function cuesOf(page: Page, language: string): Promise<string[]> {
    await page.evaluate((lang) => {
      const video = document.querySelector('video') as HTMLVideoElement;
      const track = [...video.textTracks].find((candidate) => candidate.language === lang);
      if (track === undefined) throw new Error(`no ${lang} track`);
      track.mode = 'showing';
    }, language);
    await page.waitForFunction(
      (lang) => {
        const video = document.querySelector('video') as HTMLVideoElement;
        const cues = [...video.textTracks].find((candidate) => candidate.language === lang)?.cues;
        return cues !== null && cues !== undefined && cues.length > 0;
      },
      language,
      { timeout: 20_000 },
    );
    return page.evaluate((lang) => {
      const video = document.querySelector('video') as HTMLVideoElement;
      const cues = [...video.textTracks].find((candidate) => candidate.language === lang)?.cues;
      return [...(cues ?? [])].map((cue) => (cue as VTTCue).text);
    }, language);
  }

  it.each(['watch', 'embed'])('loads the converted SubRip tracks of a signed /%s page', async (pageName) => {
    const page = await browser.newPage();
    try {
      await page.goto(`${t.baseUrl}/${pageName}/${PAGE_ID}?${signedQuery(ITEM)}`);
      expect(await page.evaluate(() => (document.querySelector('video') as HTMLVideoElement).textTracks.length)).toBe(3);
      expect(await cuesOf(page, 'en')).toEqual(['Hello, world', '<i>Bye</i>, 1,000 times']);
      expect(await cuesOf(page, 'pt-BR')).toEqual(['Um café “forte”']);
    } finally {
      await page.close();
    }
  }, 60_000);
});
