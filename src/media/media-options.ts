/** What the media feature needs to know, whoever configures it. */
export interface MediaOptions {
  /** Absolute path of the folder served by the file-system repository. */
  root: string;
  /** Extensions (without dot, lower case) that count as media. */
  extensions: readonly string[];
  /** Bytes read from storage at a time while streaming. */
  chunkSize: number;
  /** Cap on an open-ended `bytes=N-` range; 0 = none. */
  maxRangeBytes: number;
  /** Seconds in `Cache-Control: public, max-age=...`. */
  cacheMaxAge: number;
}

export const MEDIA_OPTIONS = Symbol('MEDIA_OPTIONS');
