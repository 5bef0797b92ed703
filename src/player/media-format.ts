import type { MediaMetadata } from '../derive/media-metadata.js';

/** `3:07`, `1:02:03`: how players print a duration; null when unknown. */
export function formatDuration(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** `1920×1080`, or null for audio and unknown items. */
export function formatResolution(metadata: MediaMetadata): string | null {
  return metadata.video === null ? null : `${metadata.video.width}×${metadata.video.height}`;
}

/** `h264 · 24 fps / aac · stereo · 48 kHz`: the codecs as ffprobe names them. */
export function formatCodecs(metadata: MediaMetadata): string | null {
  const parts: string[] = [];
  if (metadata.video !== null) {
    parts.push(metadata.video.frameRate === null ? metadata.video.codec : `${metadata.video.codec} · ${metadata.video.frameRate} fps`);
  }
  if (metadata.audio !== null) {
    parts.push(`${metadata.audio.codec} · ${channelsName(metadata.audio.channels)} · ${metadata.audio.sampleRate / 1000} kHz`);
  }
  return parts.length === 0 ? null : parts.join(' / ');
}

function channelsName(channels: number): string {
  return channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels} channels`;
}
