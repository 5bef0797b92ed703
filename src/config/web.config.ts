import { registerAs } from '@nestjs/config';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, rawValue } from './env-parsers.js';

export interface WebSettings {
  /** Origins allowed by CORS: empty = same-origin only, ['*'] = any. */
  corsOrigins: string[];
  /** Origins that may frame /embed/:id: empty = any site. */
  embedAllowedOrigins: string[];
}

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$|^https?:\/\/\[[0-9a-f:.]+\](:[0-9]{1,5})?$/i;

export function parseWebSettings(env: Environment): WebSettings {
  return {
    corsOrigins: originList(env, 'CORS_ORIGINS', true),
    embedAllowedOrigins: originList(env, 'EMBED_ALLOWED_ORIGINS', false),
  };
}

function originList(env: Environment, name: string, allowStar: boolean): string[] {
  const raw = rawValue(env, name);
  if (raw === undefined) {
    return [];
  }
  const origins = raw.split(',').map((origin) => origin.trim().replace(/\/$/, '')).filter(Boolean);
  if (allowStar && origins.length === 1 && origins[0] === '*') {
    return ['*'];
  }
  const bad = origins.find((origin) => !ORIGIN.test(origin));
  if (bad !== undefined) {
    throw new ConfigValidationError(
      name,
      `must be a comma-separated list of origins like https://example.com${allowStar ? ' or *' : ''}, got "${bad}"`,
    );
  }
  return origins;
}

export const webConfig = registerAs('web', () => parseWebSettings(process.env));
