import { registerAs } from '@nestjs/config';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, integerSetting, rawValue } from './env-parsers.js';

export interface HttpSettings {
  port: number;
  host: string;
  /** Processes sharing the port (Node's cluster); 1 = no cluster. */
  workers: number;
}

export function parseHttpSettings(env: Environment): HttpSettings {
  const host = rawValue(env, 'HOST') ?? '0.0.0.0';
  if (/\s/.test(host)) {
    throw new ConfigValidationError('HOST', `must be a host name or address, got "${host}"`);
  }
  return {
    port: integerSetting(env, 'PORT', 3000, 0, 65535),
    host,
    workers: integerSetting(env, 'WEB_CONCURRENCY', 1, 1, 64),
  };
}

export const httpConfig = registerAs('http', () => parseHttpSettings(process.env));
