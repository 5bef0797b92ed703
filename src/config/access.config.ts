import { registerAs } from '@nestjs/config';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, integerSetting, rawValue } from './env-parsers.js';

export type AccessMode = 'public' | 'signed';

export interface AccessSettings {
  mode: AccessMode;
  /** The first signs; all verify. Empty in public mode unless set. */
  signingKeys: string[];
  apiKeys: string[];
  /** Lifetime of the signed URLs the JSON API writes. */
  linkTtlSeconds: number;
}

export const SIGNING_KEY_MIN_LENGTH = 32;
export const API_KEY_MIN_LENGTH = 24;
/** A week, as for S3 presigned URLs: also the cap of a minted link's `expiresIn`. */
export const LINK_TTL_MAX_SECONDS = 604_800;

export function parseAccessSettings(env: Environment): AccessSettings {
  const raw = (rawValue(env, 'ACCESS_MODE') ?? 'public').toLowerCase();
  if (raw !== 'public' && raw !== 'signed') {
    throw new ConfigValidationError('ACCESS_MODE', `must be "public" or "signed", got "${raw}"`);
  }
  const signed = raw === 'signed';
  return {
    mode: raw,
    signingKeys: keyList(env, 'SIGNING_KEYS', SIGNING_KEY_MIN_LENGTH, signed),
    apiKeys: keyList(env, 'API_KEYS', API_KEY_MIN_LENGTH, signed),
    linkTtlSeconds: integerSetting(env, 'LINK_TTL_SECONDS', 3600, 1, LINK_TTL_MAX_SECONDS),
  };
}

/** Comma-separated keys. Messages name the variable and the key's position, never the key. */
function keyList(env: Environment, name: string, minLength: number, required: boolean): string[] {
  const keys = (rawValue(env, name) ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  if (keys.length === 0 && required) {
    throw new ConfigValidationError(name, 'is required when ACCESS_MODE=signed');
  }
  const short = keys.findIndex((key) => key.length < minLength);
  if (short !== -1) {
    throw new ConfigValidationError(name, `must hold keys of at least ${minLength} characters; key ${short + 1} is shorter`);
  }
  return keys;
}

export const accessConfig = registerAs('access', () => parseAccessSettings(process.env));
