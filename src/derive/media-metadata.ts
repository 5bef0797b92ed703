/** The contract's `metadata` object of a Video (see CONTRACT "Media metadata"). */
export type MetadataStatus = 'pending' | 'ready' | 'failed' | 'unavailable';

export interface VideoStreamInfo {
  codec: string;
  width: number;
  height: number;
  /** Rounded to 3 decimals. */
  frameRate: number | null;
}

export interface AudioStreamInfo {
  codec: string;
  channels: number;
  sampleRate: number;
}

export interface MediaMetadata {
  status: MetadataStatus;
  durationSeconds: number | null;
  bitrate: number | null;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
}

/** What one probe of one version (ETag) of an item found; persisted by the catalog. */
export interface ProbeResult {
  /** The ETag of the bytes that were probed. */
  etag: string;
  metadata: MediaMetadata;
  /** True when the item carries embedded cover art (an attached picture stream). */
  hasCoverArt: boolean;
}

/**
 * Probes items with ffprobe in a separate, restricted process: queued (at
 * most PROBE_CONCURRENCY at once), bounded by PROBE_TIMEOUT_SECONDS, and
 * coalesced (one run per item and ETag however many callers ask).
 */
export interface MetadataProber {
  /**
   * Probes the item's current bytes. Never rejects for a bad file: a file
   * that is not media answers status `failed`, a missing ffprobe `unavailable`.
   */
  probe(itemId: string, etag: string): Promise<ProbeResult>;
}

export const METADATA_PROBER = Symbol('METADATA_PROBER');

export const PENDING_METADATA: MediaMetadata = Object.freeze({
  status: 'pending',
  durationSeconds: null,
  bitrate: null,
  video: null,
  audio: null,
}) as MediaMetadata;
