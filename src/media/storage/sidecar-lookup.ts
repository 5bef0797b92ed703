import { isHiddenId, malformedIdReason } from './media-id.js';
import { itemStem, sidecarKind, sidecarOwners } from './sidecar-names.js';

/** Where an item's sidecars can be: its folder (`''` at the root, else ending in `/`) and the name start they share. */
export interface SidecarSearch {
  readonly folder: string;
  /** `trailers/clip` for `trailers/clip.mp4`: every sidecar ID starts with it. */
  readonly stem: string;
}

export function sidecarSearch(itemId: string): SidecarSearch {
  const stem = itemStem(itemId);
  return { folder: stem.slice(0, stem.lastIndexOf('/') + 1), stem };
}

/** A well-formed, visible ID whose name makes it a sidecar of some item. */
export function isSidecarId(id: string): boolean {
  return malformedIdReason(id) === null && !isHiddenId(id) && sidecarKind(id) !== null;
}

/** True when `candidateId` is, by its name alone, a sidecar of the item whose stem is `stem`. */
export function isSidecarOf(stem: string, candidateId: string): boolean {
  return isSidecarId(candidateId) && sidecarOwners(candidateId).some((owner) => owner.itemStem === stem);
}
