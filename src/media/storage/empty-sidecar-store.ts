import type { MediaSource } from './media.repository.js';
import type { StoredFile } from './media-scanner.js';
import type { SidecarStore } from './sidecar-store.js';

/**
 * The store bound when MediaModule is given a repository class of its own and
 * no storage: it cannot know where that repository keeps files, so items have
 * no sidecars (bind SIDECAR_STORE yourself to serve them).
 */
export class EmptySidecarStore implements SidecarStore {
  findSidecars(): Promise<StoredFile[]> {
    return Promise.resolve([]);
  }

  openSidecar(): Promise<MediaSource | null> {
    return Promise.resolve(null);
  }
}
