import type { LinkParameters } from './link-signature.js';

/** The URL fields of a presented item that lead to one of its routes. */
export interface SignableVideo {
  streamUrl: string;
  watchUrl: string;
  embedUrl?: string;
  posterUrl?: string | null;
  subtitles?: ReadonlyArray<{ url: string }>;
}

/** `url` with `query` (already encoded) appended after `?` or `&`. */
export function appendQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/** `url` carrying the link's `expires` and `signature` (base64url needs no escaping). */
export function withLink(url: string, link: LinkParameters): string {
  return appendQuery(url, `expires=${link.expires}&signature=${link.signature}`);
}

/**
 * The item with every URL of it that it carries signed by `link` (one
 * signature serves all routes of an item). The one place that knows which
 * fields are URLs: a new URL field of the JSON Video is signed by adding it here.
 */
export function signVideoUrls<T extends SignableVideo>(view: T, link: LinkParameters): T {
  const signed: T = { ...view, streamUrl: withLink(view.streamUrl, link), watchUrl: withLink(view.watchUrl, link) };
  if (typeof view.embedUrl === 'string') signed.embedUrl = withLink(view.embedUrl, link);
  if (typeof view.posterUrl === 'string') signed.posterUrl = withLink(view.posterUrl, link);
  if (view.subtitles !== undefined) {
    signed.subtitles = view.subtitles.map((track) => ({ ...track, url: withLink(track.url, link) }));
  }
  return signed;
}
