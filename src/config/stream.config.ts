import { registerAs } from '@nestjs/config';
import { DEFAULT_CHUNK_SIZE, DEFAULT_OPEN_FILE_CACHE_MS } from '../media/media-options.js';
import { Environment, integerSetting } from './env-parsers.js';

export interface StreamSettings {
  chunkSize: number;
  maxRangeBytes: number;
  cacheMaxAge: number;
  openFileCacheMs: number;
}

const CHUNK_SIZE_MIN = 4 * 1024;
const CHUNK_SIZE_MAX = 16 * 1024 * 1024;
// RFC 9111 1.2.2: caches treat delta-seconds beyond 2^31 as 2^31.
const MAX_AGE_MAX = 2 ** 31;

export function parseStreamSettings(env: Environment): StreamSettings {
  return {
    chunkSize: integerSetting(env, 'STREAM_CHUNK_SIZE', DEFAULT_CHUNK_SIZE, CHUNK_SIZE_MIN, CHUNK_SIZE_MAX),
    maxRangeBytes: integerSetting(env, 'STREAM_MAX_RANGE_BYTES', 0, 0, Number.MAX_SAFE_INTEGER),
    cacheMaxAge: integerSetting(env, 'CACHE_MAX_AGE', 3600, 0, MAX_AGE_MAX),
    openFileCacheMs: integerSetting(env, 'OPEN_FILE_CACHE_MS', DEFAULT_OPEN_FILE_CACHE_MS, 0, 60_000),
  };
}

export const streamConfig = registerAs('stream', () => parseStreamSettings(process.env));
