import { registerAs } from '@nestjs/config';
import { Environment, integerSetting, rawValue } from './env-parsers.js';

export interface CatalogSettings {
  /** Longest time between two scans of storage (the safety net beside watching). */
  rescanSeconds: number;
}

// A listing of S3 pages through every key (1,000 a request) and costs money;
// a folder is cheap to walk again and can also be watched.
const DEFAULT_RESCAN_FS = 10;
const DEFAULT_RESCAN_S3 = 60;
const RESCAN_MAX = 86_400;

export function parseCatalogSettings(env: Environment): CatalogSettings {
  const s3 = (rawValue(env, 'MEDIA_BACKEND') ?? 'fs').toLowerCase() === 's3';
  return {
    rescanSeconds: integerSetting(env, 'CATALOG_RESCAN_SECONDS', s3 ? DEFAULT_RESCAN_S3 : DEFAULT_RESCAN_FS, 1, RESCAN_MAX),
  };
}

export const catalogConfig = registerAs('catalog', () => parseCatalogSettings(process.env));
