import type { MediaMetadata } from '../derive/media-metadata.js';

/** What the pages show of an item: the JSON API's Video, URLs already signed where needed. */
export interface PlayerVideo {
  id: string;
  name: string;
  size: number;
  mimeType: string;
  modifiedAt: string;
  streamUrl: string;
  watchUrl: string;
  posterUrl: string | null;
  subtitles: ReadonlyArray<{ track: string; language: string | null; label: string; url: string }>;
  metadata: MediaMetadata;
}
