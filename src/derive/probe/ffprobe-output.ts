import type { AudioStreamInfo, MediaMetadata, VideoStreamInfo } from '../media-metadata.js';

/** What a probe found, with what posters need beyond the contract's metadata. */
export interface ProbeDetails {
  metadata: MediaMetadata;
  hasCoverArt: boolean;
  /** ffprobe's index of the first real video stream (not cover art), or null. */
  videoStreamIndex: number | null;
  /** ffprobe's index of the first attached picture, or null. */
  coverArtStreamIndex: number | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** ffprobe writes most numbers as strings ("44100", "2.000000"); either form is read. */
function numberOf(value: unknown): number | null {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
}

function integerOf(value: unknown): number | null {
  const parsed = numberOf(value);
  return parsed !== null && Number.isInteger(parsed) ? parsed : null;
}

/** "30000/1001" -> 29.97; "0/0" or junk -> null. */
function rateOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (match === null) return numberOf(value) || null;
  const [num, den] = [Number(match[1]), Number(match[2])];
  return num > 0 && den > 0 ? Math.round((num / den) * 1000) / 1000 : null;
}

const isAttachedPicture = (stream: Json): boolean => isObject(stream.disposition) && stream.disposition.attached_pic === 1;

function videoOf(stream: Json): VideoStreamInfo | null {
  const width = integerOf(stream.width);
  const height = integerOf(stream.height);
  if (width === null || height === null) return null;
  return {
    codec: typeof stream.codec_name === 'string' ? stream.codec_name : 'unknown',
    width,
    height,
    frameRate: rateOf(stream.avg_frame_rate) ?? rateOf(stream.r_frame_rate),
  };
}

function audioOf(stream: Json): AudioStreamInfo | null {
  const channels = integerOf(stream.channels);
  const sampleRate = integerOf(stream.sample_rate);
  if (channels === null || sampleRate === null) return null;
  return { codec: typeof stream.codec_name === 'string' ? stream.codec_name : 'unknown', channels, sampleRate };
}

/**
 * `ffprobe -show_format -show_streams -of json` output as the contract's
 * metadata; null when it describes no media (no audio or video stream).
 */
export function parseFfprobeOutput(output: unknown): ProbeDetails | null {
  if (!isObject(output) || !Array.isArray(output.streams)) return null;
  const streams = output.streams.filter(isObject);
  const format = isObject(output.format) ? output.format : {};
  let video: VideoStreamInfo | null = null;
  let audio: AudioStreamInfo | null = null;
  let videoStreamIndex: number | null = null;
  let coverArtStreamIndex: number | null = null;
  for (const stream of streams) {
    const index = integerOf(stream.index);
    if (stream.codec_type === 'video' && isAttachedPicture(stream)) {
      coverArtStreamIndex ??= index;
    } else if (stream.codec_type === 'video' && video === null) {
      video = videoOf(stream);
      if (video !== null) videoStreamIndex = index;
    } else if (stream.codec_type === 'audio' && audio === null) {
      audio = audioOf(stream);
    }
  }
  if (video === null && audio === null && coverArtStreamIndex === null) return null;
  return {
    metadata: { status: 'ready', durationSeconds: numberOf(format.duration), bitrate: integerOf(format.bit_rate), video, audio },
    hasCoverArt: coverArtStreamIndex !== null,
    videoStreamIndex,
    coverArtStreamIndex,
  };
}
