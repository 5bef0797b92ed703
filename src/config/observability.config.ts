import { registerAs } from '@nestjs/config';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, rawValue } from './env-parsers.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'pretty';

export interface ObservabilitySettings {
  logLevel: LogLevel;
  logFormat: LogFormat;
  metricsEnabled: boolean;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | null;
}

export function parseObservabilitySettings(env: Environment): ObservabilitySettings {
  return {
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['json', 'pretty'] as const, 'json'),
    metricsEnabled: booleanSetting(env, 'METRICS_ENABLED', true),
    metricsToken: metricsToken(env),
  };
}

function oneOf<T extends string>(env: Environment, name: string, allowed: readonly T[], fallback: T): T {
  const raw = (rawValue(env, name) ?? fallback).toLowerCase();
  const found = allowed.find((value) => value === raw);
  if (found === undefined) {
    throw new ConfigValidationError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return found;
}

export function booleanSetting(env: Environment, name: string, fallback: boolean): boolean {
  const raw = rawValue(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigValidationError(name, `must be true or false, got "${raw}"`);
}

function metricsToken(env: Environment): string | null {
  const token = rawValue(env, 'METRICS_TOKEN');
  if (token === undefined) return null;
  // Token68 (RFC 9110 11.2) so that it fits a Bearer header as it is; never echoed.
  if (!/^[A-Za-z0-9._~+/-]+=*$/.test(token) || token.length < 16) {
    throw new ConfigValidationError('METRICS_TOKEN', 'must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / (then = padding)');
  }
  return token;
}

export const observabilityConfig = registerAs('observability', () => parseObservabilitySettings(process.env));
