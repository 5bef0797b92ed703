/** `/api/videos/:id/subtitles/:track`, beside (not under) the stream route: the fast path matches only `/stream`. */
export const SUBTITLES_SEGMENT = 'subtitles';
export const SUBTITLE_PATH = `:id/${SUBTITLES_SEGMENT}/:track`;

/** The path of a track, as the listing and the player pages give it (without the signature). */
export function subtitleUrl(id: string, track: string): string {
  return `/api/videos/${encodeURIComponent(id)}/${SUBTITLES_SEGMENT}/${encodeURIComponent(track)}`;
}
