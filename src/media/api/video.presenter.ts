import { MediaItem } from '../storage/media.repository.js';

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
}

export function presentVideo(item: MediaItem): VideoView {
  const encoded = encodeURIComponent(item.id);
  return {
    id: item.id,
    name: item.name,
    size: item.size,
    mimeType: item.mimeType,
    modifiedAt: item.modifiedAt.toISOString(),
    etag: item.etag,
    streamUrl: `/api/videos/${encoded}/stream`,
    watchUrl: `/watch/${encoded}`,
  };
}
