import type { LinkParameters } from '../access/signing/link-signature.js';
import { appendQuery, signVideoUrls, withLink } from '../access/signing/signed-urls.js';
import { MediaPage } from '../media/api/media-library.service.js';
import { MediaItem } from '../media/storage/media.repository.js';
import { presentVideo } from '../media/api/video.presenter.js';
import { escapeHtml, humanSize, page } from './html.js';
import type { SubtitleTrack } from '../derive/subtitle-tracks.js';
import { subtitleUrl } from '../derive/subtitles/subtitles.routes.js';

export const LIBRARY_PAGE_SIZE = 50;

function folderOf(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? '' : id.slice(0, slash);
}

function libraryHref(q: string, pageNumber: number): string {
  const params = new URLSearchParams();
  if (q !== '') params.set('q', q);
  if (pageNumber > 1) params.set('page', String(pageNumber));
  const query = params.toString();
  return query === '' ? '/' : `/?${query}`;
}

export function libraryPage(library: MediaPage, q: string, pageNumber: number): string {
  const items = library.items
    .map((item) => {
      const view = presentVideo(item);
      const folder = folderOf(item.id);
      return `<li><a class="title" href="${escapeHtml(view.watchUrl)}">${escapeHtml(item.name)}</a>
<div class="meta">${folder === '' ? '' : `${escapeHtml(folder)} · `}${humanSize(item.size)} · ${escapeHtml(item.mimeType)}</div></li>`;
    })
    .join('\n');
  const pages = Math.max(1, Math.ceil(library.total / library.limit));
  const previous = pageNumber > 1 ? `<a href="${escapeHtml(libraryHref(q, pageNumber - 1))}" rel="prev">← Previous</a>` : '<span></span>';
  const next = pageNumber < pages ? `<a href="${escapeHtml(libraryHref(q, pageNumber + 1))}" rel="next">Next →</a>` : '<span></span>';
  const summary =
    library.total === 0
      ? q === '' ? 'The library is empty.' : `Nothing matches “${escapeHtml(q)}”.`
      : `${library.total} item${library.total === 1 ? '' : 's'}${q === '' ? '' : ` matching “${escapeHtml(q)}”`} · page ${pageNumber} of ${pages}`;
  return page(
    q === '' ? 'Media library' : `${q} · Media library`,
    `<p class="meta">${summary}</p>
<ul class="items">
${items}
</ul>
<nav class="pages">${previous}${next}</nav>`,
    q,
  );
}

/**
 * The item's view, its URLs carrying the page's own link in signed mode (one
 * signature serves every route of the item), so the player keeps seeking.
 */
function pageView(item: MediaItem, link: LinkParameters | null): ReturnType<typeof presentVideo> {
  const view = presentVideo(item);
  return link === null ? view : signVideoUrls(view, link);
}

/**
 * One `<track>` per subtitle track, its URL signed like the stream's. The
 * default track (a file without a tag) has no known language: no srclang.
 */
function trackElements(item: MediaItem, tracks: readonly SubtitleTrack[], link: LinkParameters | null): string {
  return tracks
    .map((track) => {
      const path = subtitleUrl(item.id, track.track);
      const src = link === null ? path : withLink(path, link);
      const lang = track.language === null ? '' : ` srclang="${escapeHtml(track.language)}"`;
      return `\n<track kind="subtitles"${lang} label="${escapeHtml(track.label)}" src="${escapeHtml(src)}">`;
    })
    .join('');
}

export function watchPage(item: MediaItem, origin: string, link: LinkParameters | null = null, tracks: readonly SubtitleTrack[] = []): string {
  const view = pageView(item, link);
  const embedPath = `${origin}/embed/${encodeURIComponent(item.id)}`;
  const embedUrl = link === null ? embedPath : withLink(embedPath, link);
  const snippet = `<iframe src="${embedUrl}" width="640" height="360" allow="fullscreen; picture-in-picture" allowfullscreen style="border:0"></iframe>`;
  const folder = folderOf(item.id);
  return page(
    `${item.name} · Media library`,
    `<video id="player" controls preload="metadata" playsinline src="${escapeHtml(view.streamUrl)}">${trackElements(item, tracks, link)}</video>
<h1>${escapeHtml(item.name)}</h1>
<p class="meta">${folder === '' ? '' : `${escapeHtml(folder)} · `}${humanSize(item.size)} · ${escapeHtml(item.mimeType)} · modified ${escapeHtml(view.modifiedAt.slice(0, 10))}</p>
<p><a class="button" href="${escapeHtml(appendQuery(view.streamUrl, 'download=1'))}" download>Download</a></p>
<h2>Embed</h2>
<label class="meta" for="embed">Paste this into a web page:</label>
<textarea id="embed" rows="3" readonly>${escapeHtml(snippet)}</textarea>`,
  );
}

export function embedPage(item: MediaItem, link: LinkParameters | null = null, tracks: readonly SubtitleTrack[] = []): string {
  const view = pageView(item, link);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(item.name)}</title>
<style>html, body { margin: 0; height: 100%; background: #000; overflow: hidden; } video { display: block; width: 100%; height: 100%; object-fit: contain; }</style>
</head>
<body>
<video id="player" controls preload="metadata" playsinline src="${escapeHtml(view.streamUrl)}" title="${escapeHtml(item.name)}">${trackElements(item, tracks, link)}</video>
</body>
</html>
`;
}

export function errorPage(status: number, message: string): string {
  return page(`${status} · Media library`, `<h1>${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the library</a></p>`);
}
