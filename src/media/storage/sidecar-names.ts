import { extensionOf } from './media-types.js';

/** Extensions of sidecar posters (`clip.mp4` -> `clip.jpg`), in order of preference. */
export const SIDECAR_IMAGE_EXTENSIONS: readonly string[] = ['jpg', 'jpeg', 'png', 'webp'];
/** Extensions of sidecar subtitle tracks (`clip.vtt`, `clip.pt-BR.srt`). */
export const SUBTITLE_EXTENSIONS: readonly string[] = ['vtt', 'srt'];

export type SidecarKind = 'image' | 'subtitle';

/** One way a sidecar file can belong to an item: the item's ID without its extension, and the track's tag. */
export interface SidecarOwner {
  /** Folder and base name of the owning item: `trailers/clip` for `trailers/clip.mp4`. */
  readonly itemStem: string;
  readonly kind: SidecarKind;
  /** The BCP 47 tag in the name (`pt-BR`), or null for `clip.vtt` and images. */
  readonly tag: string | null;
  /** Lower-case extension without the dot. */
  readonly extension: string;
}

/** What kind of sidecar a file is by its name, or null when it is none. */
export function sidecarKind(name: string): SidecarKind | null {
  const extension = extensionOf(name);
  if (SIDECAR_IMAGE_EXTENSIONS.includes(extension)) return 'image';
  if (SUBTITLE_EXTENSIONS.includes(extension)) return 'subtitle';
  return null;
}

/** `trailers/clip.mp4` -> `trailers/clip`: what a sidecar's name must start with. */
export function itemStem(itemId: string): string {
  const extension = extensionOf(itemId);
  return extension === '' ? itemId : itemId.slice(0, itemId.length - extension.length - 1);
}

/** True for a well-formed BCP 47 language tag (`en`, `pt-BR`, `zh-Hant-TW`). */
export function isLanguageTag(tag: string): boolean {
  // Intl accepts private-use and grandfathered forms too; a file name should
  // carry an ordinary tag, which starts with a 2-3 or 5-8 letter language.
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * Every item a sidecar file may belong to. `clip.en.vtt` is the `en` track of
 * `clip.*` and also the default track of `clip.en.*`: which one holds depends
 * on the items that exist, so both are answered and the caller joins them.
 */
export function sidecarOwners(sidecarId: string): SidecarOwner[] {
  const kind = sidecarKind(sidecarId);
  if (kind === null) return [];
  const extension = extensionOf(sidecarId);
  const stem = sidecarId.slice(0, sidecarId.length - extension.length - 1);
  if (stem === '' || stem.endsWith('/')) return [];
  const owners: SidecarOwner[] = [{ itemStem: stem, kind, tag: null, extension }];
  if (kind === 'subtitle') {
    const dot = stem.lastIndexOf('.');
    const slash = stem.lastIndexOf('/');
    const tag = stem.slice(dot + 1);
    if (dot > slash + 1 && isLanguageTag(tag)) {
      owners.push({ itemStem: stem.slice(0, dot), kind, tag, extension });
    }
  }
  return owners;
}
