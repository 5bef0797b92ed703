import { appendQuery } from '../access/signing/signed-urls.js';
import { escapeHtml, humanSize, page } from './html.js';
import { formatDuration, formatResolution } from './media-format.js';
import type { PlayerVideo } from './player-video.js';

export const LIBRARY_PAGE_SIZE = 50;
/** Thumbnails are asked at the contract's 320 width: sharp on a 2x screen at 160 CSS pixels, small on the wire. */
const THUMBNAIL_WIDTH = 320;

export const LIBRARY_SORTS = ['name', 'id', 'modifiedAt', 'size', 'duration'] as const;
export type LibrarySort = (typeof LIBRARY_SORTS)[number];

/** What the library page was asked for: its own query parameters, already checked. */
export interface LibraryView {
  q: string;
  type: 'video' | 'audio' | null;
  sort: LibrarySort;
  order: 'asc' | 'desc';
  page: number;
}

export interface LibraryResult {
  items: readonly PlayerVideo[];
  total: number;
}

const SORT_LABELS: Record<LibrarySort, string> = {
  name: 'Name',
  id: 'Folder and name',
  modifiedAt: 'Date modified',
  size: 'Size',
  duration: 'Duration',
};

/** The page's own URL for another page number, keeping every other choice. */
export function libraryHref(view: LibraryView, pageNumber: number): string {
  const params = new URLSearchParams();
  if (view.q !== '') params.set('q', view.q);
  if (view.type !== null) params.set('type', view.type);
  if (view.sort !== 'name') params.set('sort', view.sort);
  if (view.order !== 'asc') params.set('order', view.order);
  if (pageNumber > 1) params.set('page', String(pageNumber));
  const query = params.toString();
  return query === '' ? '/' : `/?${query}`;
}

function folderOf(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? '' : id.slice(0, slash);
}

function thumbnail(item: PlayerVideo): string {
  const duration = formatDuration(item.metadata.durationSeconds);
  const badge = duration === null ? '' : `<span class="badge">${duration}</span>`;
  const icon = item.mimeType.startsWith('audio/') ? '♪' : '▶';
  // The placeholder sits under the image, so a poster that fails to load
  // (an item whose probe has not finished) still leaves a tidy card.
  const image =
    item.posterUrl === null
      ? ''
      : `<img src="${escapeHtml(appendQuery(item.posterUrl, `width=${THUMBNAIL_WIDTH}`))}" alt="" loading="lazy" decoding="async" width="320" height="180" onerror="this.remove()">`;
  return `<span class="thumb" aria-hidden="true"><span class="icon">${icon}</span>${image}${badge}</span>`;
}

function card(item: PlayerVideo): string {
  const folder = folderOf(item.id);
  const details = [folder === '' ? null : escapeHtml(folder), formatResolution(item.metadata), humanSize(item.size)].filter((part) => part !== null);
  return `<li class="card"><a href="${escapeHtml(item.watchUrl)}">${thumbnail(item)}<span class="title">${escapeHtml(item.name)}</span></a>
<div class="meta">${details.join(' · ')}</div></li>`;
}

function option(value: string, label: string, selected: boolean): string {
  return `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

function controls(view: LibraryView): string {
  const types = [option('', 'All media', view.type === null), option('video', 'Video', view.type === 'video'), option('audio', 'Audio', view.type === 'audio')];
  const sorts = LIBRARY_SORTS.map((sort) => option(sort, SORT_LABELS[sort], view.sort === sort));
  const orders = [option('asc', 'Ascending', view.order === 'asc'), option('desc', 'Descending', view.order === 'desc')];
  return `<form class="controls" action="/" method="get">
${view.q === '' ? '' : `<input type="hidden" name="q" value="${escapeHtml(view.q)}">`}
<label>Show <select name="type" onchange="this.form.submit()">${types.join('')}</select></label>
<label>Sort by <select name="sort" onchange="this.form.submit()">${sorts.join('')}</select></label>
<select name="order" aria-label="Order" onchange="this.form.submit()">${orders.join('')}</select>
<noscript><button type="submit">Apply</button></noscript>
</form>`;
}

/** `/`: a grid of cards with lazily loaded poster thumbnails, duration and resolution. */
export function libraryPage(result: LibraryResult, view: LibraryView): string {
  const pages = Math.max(1, Math.ceil(result.total / LIBRARY_PAGE_SIZE));
  const previous = view.page > 1 ? `<a href="${escapeHtml(libraryHref(view, view.page - 1))}" rel="prev">← Previous</a>` : '<span></span>';
  const next = view.page < pages ? `<a href="${escapeHtml(libraryHref(view, view.page + 1))}" rel="next">Next →</a>` : '<span></span>';
  const quoted = `“${escapeHtml(view.q)}”`;
  const summary =
    result.total === 0
      ? view.q !== '' ? `Nothing matches ${quoted}.` : view.type !== null ? `There is no ${view.type} in the library.` : 'The library is empty.'
      : `${result.total} item${result.total === 1 ? '' : 's'}${view.q === '' ? '' : ` matching ${quoted}`} · page ${view.page} of ${pages}`;
  return page(
    view.q === '' ? 'Media library' : `${view.q} · Media library`,
    `<div class="toolbar"><p class="meta">${summary}</p>
${controls(view)}</div>
<ul class="grid">
${result.items.map(card).join('\n')}
</ul>
<nav class="pages">${previous}${next}</nav>`,
    view.q,
  );
}
