import type { ItemDetails } from '../../catalog/media-catalog.js';
import { UNAVAILABLE_METADATA } from '../../catalog/catalog-metadata.js';
import type { MediaMetadata } from '../../derive/media-metadata.js';
import { posterSidecar, subtitleTracks } from '../../derive/subtitle-tracks.js';
import { MediaItem } from '../storage/media.repository.js';

export interface SubtitleView {
  track: string;
  language: string | null;
  label: string;
  url: string;
}

/** A library item as the JSON API shows it. */
export interface VideoView {
  id: string;
  name: string;
  size: number;
  mimeType: string;
  modifiedAt: string;
  etag: string;
  streamUrl: string;
  watchUrl: string;
  embedUrl: string;
  posterUrl: string | null;
  subtitles: SubtitleView[];
  metadata: MediaMetadata;
}

const NO_DETAILS: ItemDetails = { metadata: UNAVAILABLE_METADATA, hasCoverArt: false, sidecars: [] };

export function presentVideo(item: MediaItem & { details?: ItemDetails }): VideoView {
  const encoded = encodeURIComponent(item.id);
  const details = item.details ?? NO_DETAILS;
  return {
    id: item.id,
    name: item.name,
    size: item.size,
    mimeType: item.mimeType,
    modifiedAt: item.modifiedAt.toISOString(),
    etag: item.etag,
    streamUrl: `/api/videos/${encoded}/stream`,
    watchUrl: `/watch/${encoded}`,
    embedUrl: `/embed/${encoded}`,
    posterUrl: hasPoster(item.id, details) ? `/api/videos/${encoded}/poster` : null,
    subtitles: subtitleTracks(item.id, details.sidecars).map((track) => ({
      track: track.track,
      language: track.language,
      label: track.label,
      url: `/api/videos/${encoded}/subtitles/${encodeURIComponent(track.track)}`,
    })),
    metadata: details.metadata,
  };
}

/**
 * False only when the item surely has no poster: its metadata is known
 * (ready or failed) and it has no sidecar image, no cover art and no video
 * stream to take a frame of. While unknown, the route decides.
 */
function hasPoster(id: string, details: ItemDetails): boolean {
  const known = details.metadata.status === 'ready' || details.metadata.status === 'failed';
  return !known || posterSidecar(id, details.sidecars) !== null || details.hasCoverArt || details.metadata.video !== null;
}
