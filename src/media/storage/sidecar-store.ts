import type { MediaSource } from './media.repository.js';
import type { StoredFile } from './media-scanner.js';

/**
 * Sidecar files (poster images, subtitle tracks) asked of storage at request
 * time, so a deleted sidecar is never served from a stale catalog. The same
 * safety rules as media: inside the root, no dotfiles, links only to targets
 * inside the root; a sidecar is reachable only through its item.
 */
export interface SidecarStore {
  /** The sidecar files of one item (see sidecarOwners), asked of storage now. */
  findSidecars(itemId: string): Promise<StoredFile[]>;
  /** Opens one sidecar by its own ID for reading; null when it is not there or not servable. */
  openSidecar(sidecarId: string): Promise<MediaSource | null>;
}

export const SIDECAR_STORE = Symbol('SIDECAR_STORE');
