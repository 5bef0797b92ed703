/** `/api/videos/:id/poster`, beside (not under) the stream route: the fast path matches only `/stream`. */
export const POSTER_SEGMENT = 'poster';
export const POSTER_PATH = `:id/${POSTER_SEGMENT}`;

/** The path of an item's poster, as the listing and the player pages give it (without the signature). */
export function posterUrl(id: string): string {
  return `/api/videos/${encodeURIComponent(id)}/${POSTER_SEGMENT}`;
}
