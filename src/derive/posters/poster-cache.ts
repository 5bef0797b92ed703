/** Generated poster images, kept across restarts; keys are made by the caller (hex). */
export interface PosterCache {
  get(key: string): Promise<Buffer | null>;
  /** Stores atomically: a reader sees the whole image or none. */
  put(key: string, bytes: Buffer): Promise<void>;
}

export const POSTER_CACHE = Symbol('POSTER_CACHE');
