import { PENDING_METADATA, type MediaMetadata } from '../derive/media-metadata.js';

/** The metadata of an item when no prober is bound (or none could be found). */
export const UNAVAILABLE_METADATA: MediaMetadata = Object.freeze({ ...PENDING_METADATA, status: 'unavailable' }) as MediaMetadata;
