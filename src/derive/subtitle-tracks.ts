import type { StoredFile } from '../media/storage/media-scanner.js';
import { SIDECAR_IMAGE_EXTENSIONS, itemStem, sidecarOwners } from '../media/storage/sidecar-names.js';

/** One subtitle track of an item, before URLs are added. */
export interface SubtitleTrack {
  /** The tag as the file names it (`pt-BR`), or `default`. */
  readonly track: string;
  readonly language: string | null;
  /** English name of the language (`Brazilian Portuguese`), the tag when unknown, `Subtitles` for default. */
  readonly label: string;
  /** The sidecar file that holds it. */
  readonly file: StoredFile;
  readonly format: 'vtt' | 'srt';
}

const DEFAULT_TRACK = 'default';
const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** English label of a language tag; the tag itself when Intl does not know it. */
export function trackLabel(tag: string | null): string {
  if (tag === null) return 'Subtitles';
  try {
    return languageNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * The subtitle tracks of `itemId` among `files` (any files; the others are
 * ignored), sorted by track. When `clip.en.vtt` and `clip.en.srt` both exist,
 * WebVTT wins: it is served as is. Tracks compare case-insensitively (`EN` is `en`).
 */
export function subtitleTracks(itemId: string, files: readonly StoredFile[]): SubtitleTrack[] {
  const stem = itemStem(itemId);
  const byTrack = new Map<string, SubtitleTrack>();
  for (const file of files) {
    for (const owner of sidecarOwners(file.id)) {
      if (owner.kind !== 'subtitle' || owner.itemStem !== stem) continue;
      const format = owner.extension === 'vtt' ? 'vtt' : 'srt';
      const track = owner.tag ?? DEFAULT_TRACK;
      const key = track.toLowerCase();
      const known = byTrack.get(key);
      if (known !== undefined && (known.format === 'vtt' || format === 'srt')) continue;
      byTrack.set(key, { track, language: owner.tag, label: trackLabel(owner.tag), file, format });
    }
  }
  return [...byTrack.values()].sort((a, b) => (a.track < b.track ? -1 : a.track > b.track ? 1 : 0));
}

/** The track named `track` (case-insensitively), or null. */
export function findSubtitleTrack(itemId: string, files: readonly StoredFile[], track: string): SubtitleTrack | null {
  const wanted = track.toLowerCase();
  return subtitleTracks(itemId, files).find((candidate) => candidate.track.toLowerCase() === wanted) ?? null;
}

/** The sidecar poster of `itemId` among `files`: `clip.jpg`, else `.jpeg`, `.png`, `.webp`; or null. */
export function posterSidecar(itemId: string, files: readonly StoredFile[]): StoredFile | null {
  const stem = itemStem(itemId);
  let best: StoredFile | null = null;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const file of files) {
    for (const owner of sidecarOwners(file.id)) {
      if (owner.kind !== 'image' || owner.itemStem !== stem) continue;
      const rank = SIDECAR_IMAGE_EXTENSIONS.indexOf(owner.extension);
      if (rank < bestRank) {
        best = file;
        bestRank = rank;
      }
    }
  }
  return best;
}
