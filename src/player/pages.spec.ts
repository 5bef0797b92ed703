import { PENDING_METADATA, type MediaMetadata } from '../derive/media-metadata.js';
import { embedPage, watchPage } from './item-pages.js';
import { libraryHref, libraryPage, type LibraryView } from './library-page.js';
import { formatCodecs, formatDuration, formatResolution } from './media-format.js';
import type { PlayerVideo } from './player-video.js';

const READY: MediaMetadata = {
  status: 'ready',
  durationSeconds: 3725.4,
  bitrate: 1000,
  video: { codec: 'h264', width: 1920, height: 1080, frameRate: 23.976 },
  audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
};

const video = (over: Partial<PlayerVideo> = {}): PlayerVideo => ({
  id: 'a/<b>.mp4',
  name: '<b>.mp4',
  size: 2048,
  mimeType: 'video/mp4',
  modifiedAt: '2026-11-25T10:00:00.000Z',
  streamUrl: '/api/videos/a%2F%3Cb%3E.mp4/stream',
  watchUrl: '/watch/a%2F%3Cb%3E.mp4',
  posterUrl: '/api/videos/a%2F%3Cb%3E.mp4/poster',
  subtitles: [
    { track: 'en', language: 'en', label: 'English', url: '/api/videos/x/subtitles/en' },
    { track: 'default', language: null, label: 'Subtitles', url: '/api/videos/x/subtitles/default' },
  ],
  metadata: READY,
  ...over,
});

const VIEW: LibraryView = { q: '', type: null, sort: 'name', order: 'asc', page: 1 };

describe('media formatting', () => {
  it('prints durations as players do', () => {
    expect(formatDuration(3725.4)).toBe('1:02:05');
    expect(formatDuration(7.5)).toBe('0:08');
    expect(formatDuration(null)).toBeNull();
    expect(formatDuration(Number.NaN)).toBeNull();
  });

  it('prints resolution and codecs, or nothing for what is unknown', () => {
    expect(formatResolution(READY)).toBe('1920×1080');
    expect(formatCodecs(READY)).toBe('h264 · 23.976 fps / aac · stereo · 48 kHz');
    expect(formatResolution(PENDING_METADATA)).toBeNull();
    expect(formatCodecs(PENDING_METADATA)).toBeNull();
  });
});

describe('library page', () => {
  it('shows cards with lazy 320-wide thumbnails, duration and resolution, names escaped', () => {
    const html = libraryPage({ items: [video()], total: 1 }, VIEW);
    expect(html).toContain('<img src="/api/videos/a%2F%3Cb%3E.mp4/poster?width=320" alt="" loading="lazy"');
    expect(html).toContain('<span class="badge">1:02:05</span>');
    expect(html).toContain('1920×1080');
    expect(html).toContain('&lt;b&gt;.mp4');
    expect(html).not.toContain('<b>.mp4');
  });

  it('leaves the placeholder alone when an item has no poster', () => {
    const html = libraryPage({ items: [video({ posterUrl: null, mimeType: 'audio/mpeg', metadata: PENDING_METADATA })], total: 1 }, VIEW);
    expect(html).not.toContain('<img');
    expect(html).toContain('<span class="icon">♪</span>');
  });

  it('keeps the choices in its links and marks them selected', () => {
    const view: LibraryView = { q: 'x&y', type: 'audio', sort: 'size', order: 'desc', page: 2 };
    expect(libraryHref(view, 3)).toBe('/?q=x%26y&type=audio&sort=size&order=desc&page=3');
    expect(libraryHref(VIEW, 1)).toBe('/');
    const html = libraryPage({ items: [video()], total: 120 }, view);
    expect(html).toContain('<option value="audio" selected>');
    expect(html).toContain('<option value="size" selected>');
    expect(html).toContain('<option value="desc" selected>');
    expect(html).toContain('<input type="hidden" name="q" value="x&amp;y">');
    expect(html).toContain('page 2 of 3');
  });
});

describe('watch and embed pages', () => {
  it('give the player its poster and one track per subtitle', () => {
    for (const html of [watchPage(video(), 'https://media.example'), embedPage(video())]) {
      expect(html).toContain('poster="/api/videos/a%2F%3Cb%3E.mp4/poster"');
      expect(html).toContain('<track kind="subtitles" src="/api/videos/x/subtitles/en" srclang="en" label="English">');
      expect(html).toContain('<track kind="subtitles" src="/api/videos/x/subtitles/default" label="Subtitles">');
    }
  });

  it('show duration, resolution and codecs on the watch page', () => {
    const html = watchPage(video(), 'https://media.example');
    expect(html).toContain('1:02:05 · 1920×1080');
    expect(html).toContain('h264 · 23.976 fps / aac · stereo · 48 kHz');
  });

  it('have no poster attribute without a poster', () => {
    expect(embedPage(video({ posterUrl: null, subtitles: [] }))).not.toMatch(/poster=|<track/);
  });
});
