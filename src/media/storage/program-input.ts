import type { MediaItem } from './media.repository.js';

/**
 * An item opened for an outside program (ffprobe, ffmpeg), so that the
 * program reads the item's own bytes and nothing else:
 * - `fd`: a descriptor opened and checked by storage (inside the root), to be
 *   handed to the child; the program never sees a path it could be tricked with;
 * - `url`: a short-lived http(s) URL of exactly this object (S3, presigned).
 */
export type ProgramInput =
  | { readonly kind: 'fd'; readonly fd: number; readonly item: MediaItem; close(): Promise<void> }
  | { readonly kind: 'url'; readonly url: string; readonly item: MediaItem; close(): Promise<void> };

export interface ProgramInputSource {
  /** The item opened for a program; null when it is not servable media. */
  openForProgram(id: string): Promise<ProgramInput | null>;
}

export const PROGRAM_INPUT_SOURCE = Symbol('PROGRAM_INPUT_SOURCE');
