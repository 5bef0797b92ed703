import { DEFAULT_MEDIA_EXTENSIONS } from './storage/media-types.js';

/** Where the default repositories find the media. */
export type MediaStorageOptions =
  | { kind: 'fs'; /** Folder served, with its subfolders. */ root: string }
  | {
      kind: 's3';
      bucket: string;
      /** Key prefix below which objects are media; '' or ending in '/'. */
      prefix: string;
      region: string;
      /** For S3-compatible servers (MinIO, Ceph, R2, Garage); AWS when absent. */
      endpoint?: string;
      forcePathStyle: boolean;
    };

/** What MediaModule.forRoot / forRootAsync take. */
export interface MediaModuleOptions {
  /** Ignored when a custom repository class is bound. */
  storage?: MediaStorageOptions;
  /** Extensions (without dot) that count as media. */
  extensions?: readonly string[];
  /** Bytes read from storage at a time while streaming. */
  chunkSize?: number;
  /** Cap on an open-ended `bytes=N-` range; 0 = none. */
  maxRangeBytes?: number;
  /** Seconds in `Cache-Control: public, max-age=...`. */
  cacheMaxAge?: number;
  /** How long the fs backend keeps a file open and its fstat trusted; 0 = never. */
  openFileCacheMs?: number;
}

/** The module's options with every default filled in. */
export interface MediaOptions {
  storage: MediaStorageOptions | null;
  extensions: readonly string[];
  chunkSize: number;
  maxRangeBytes: number;
  cacheMaxAge: number;
  openFileCacheMs: number;
}

export const MEDIA_OPTIONS = Symbol('MEDIA_OPTIONS');

export const DEFAULT_CHUNK_SIZE = 64 * 1024;
export const DEFAULT_OPEN_FILE_CACHE_MS = 2000;

export function resolveMediaOptions(options: MediaModuleOptions): MediaOptions {
  return {
    storage: options.storage ?? null,
    extensions: (options.extensions ?? DEFAULT_MEDIA_EXTENSIONS).map((ext) => ext.toLowerCase()),
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    maxRangeBytes: options.maxRangeBytes ?? 0,
    cacheMaxAge: options.cacheMaxAge ?? 3600,
    openFileCacheMs: options.openFileCacheMs ?? DEFAULT_OPEN_FILE_CACHE_MS,
  };
}
