import { registerAs } from '@nestjs/config';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, rawValue } from './env-parsers.js';

export interface S3Settings {
  bucket: string;
  prefix: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
}

// S3's bucket naming rules, loosely: compatible servers accept a little more.
const BUCKET = /^[a-z0-9][a-z0-9.\-_]{1,254}$/i;

/** The S3 settings; only read (and required) when MEDIA_BACKEND is s3. */
export function parseS3Settings(env: Environment): S3Settings {
  const bucket = rawValue(env, 'S3_BUCKET');
  if (bucket === undefined || !BUCKET.test(bucket)) {
    throw new ConfigValidationError('S3_BUCKET', bucket === undefined ? 'is required when MEDIA_BACKEND=s3' : `is not a valid bucket name: "${bucket}"`);
  }
  return {
    bucket,
    prefix: s3Prefix(env),
    region: rawValue(env, 'S3_REGION') ?? rawValue(env, 'AWS_REGION') ?? 'us-east-1',
    endpoint: s3Endpoint(env),
    forcePathStyle: booleanSetting(env, 'S3_FORCE_PATH_STYLE', false),
  };
}

function s3Prefix(env: Environment): string {
  const raw = rawValue(env, 'S3_PREFIX');
  if (raw === undefined) {
    return '';
  }
  const trimmed = raw.replace(/^\/+|\/+$/g, '');
  if (trimmed.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new ConfigValidationError('S3_PREFIX', `must be a key prefix such as "media/", got "${raw}"`);
  }
  return `${trimmed}/`;
}

function s3Endpoint(env: Environment): string | undefined {
  const raw = rawValue(env, 'S3_ENDPOINT');
  if (raw === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigValidationError('S3_ENDPOINT', `must be a URL such as http://127.0.0.1:9000, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigValidationError('S3_ENDPOINT', `must be an http or https URL, got "${raw}"`);
  }
  return raw;
}

function booleanSetting(env: Environment, name: string, fallback: boolean): boolean {
  const raw = rawValue(env, name);
  if (raw === undefined) return fallback;
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new ConfigValidationError(name, `must be true or false, got "${raw}"`);
}

/** `settings` is null unless MEDIA_BACKEND=s3, so S3_* need not be set otherwise. */
export const s3Config = registerAs('s3', (): { settings: S3Settings | null } => ({
  settings: (rawValue(process.env, 'MEDIA_BACKEND') ?? 'fs').toLowerCase() === 's3' ? parseS3Settings(process.env) : null,
}));
