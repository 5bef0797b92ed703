import type { LinkParameters } from '../access/signing/link-signature.js';
import { appendQuery, withLink } from '../access/signing/signed-urls.js';
import { escapeHtml, humanSize, page } from './html.js';
import { formatCodecs, formatDuration, formatResolution } from './media-format.js';
import type { PlayerVideo } from './player-video.js';

function folderOf(id: string): string {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? '' : id.slice(0, slash);
}

/**
 * The player element of both pages: poster before play and one <track> per
 * subtitle, every URL as the view carries it (signed in signed mode).
 */
function player(video: PlayerVideo, extra = ''): string {
  const poster = video.posterUrl === null ? '' : ` poster="${escapeHtml(video.posterUrl)}"`;
  const tracks = video.subtitles
    .map((track) => {
      const language = track.language === null ? '' : ` srclang="${escapeHtml(track.language)}"`;
      return `\n<track kind="subtitles" src="${escapeHtml(track.url)}"${language} label="${escapeHtml(track.label)}">`;
    })
    .join('');
  return `<video id="player" controls preload="metadata" playsinline src="${escapeHtml(video.streamUrl)}"${poster}${extra}>${tracks}
</video>`;
}

function details(video: PlayerVideo): string {
  const folder = folderOf(video.id);
  const parts = [
    folder === '' ? null : escapeHtml(folder),
    formatDuration(video.metadata.durationSeconds),
    formatResolution(video.metadata),
    humanSize(video.size),
    escapeHtml(video.mimeType),
    `modified ${escapeHtml(video.modifiedAt.slice(0, 10))}`,
  ].filter((part) => part !== null);
  const codecs = formatCodecs(video.metadata);
  return `<p class="meta">${parts.join(' · ')}</p>${codecs === null ? '' : `\n<p class="meta codecs">${escapeHtml(codecs)}</p>`}`;
}

/** `/watch/:id`: the player, what the item is, a download link and the embed snippet. */
export function watchPage(video: PlayerVideo, origin: string, link: LinkParameters | null = null): string {
  const embedPath = `${origin}/embed/${encodeURIComponent(video.id)}`;
  const embedUrl = link === null ? embedPath : withLink(embedPath, link);
  const snippet = `<iframe src="${embedUrl}" width="640" height="360" allow="fullscreen; picture-in-picture" allowfullscreen style="border:0"></iframe>`;
  return page(
    `${video.name} · Media library`,
    `${player(video)}
<h1>${escapeHtml(video.name)}</h1>
${details(video)}
<p><a class="button" href="${escapeHtml(appendQuery(video.streamUrl, 'download=1'))}" download>Download</a></p>
<h2>Embed</h2>
<label class="meta" for="embed">Paste this into a web page:</label>
<textarea id="embed" rows="3" readonly>${escapeHtml(snippet)}</textarea>`,
  );
}

/** `/embed/:id`: the bare player, filling the frame another site gives it. */
export function embedPage(video: PlayerVideo): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(video.name)}</title>
<style>html, body { margin: 0; height: 100%; background: #000; overflow: hidden; } video { display: block; width: 100%; height: 100%; object-fit: contain; }</style>
</head>
<body>
${player(video, ` title="${escapeHtml(video.name)}"`)}
</body>
</html>
`;
}

export function errorPage(status: number, message: string): string {
  return page(`${status} · Media library`, `<h1>${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the library</a></p>`);
}
