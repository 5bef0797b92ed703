import { registerAs } from '@nestjs/config';
import proxyAddr from 'proxy-addr';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, integerSetting, rawValue } from './env-parsers.js';

/** Express's `trust proxy` value: false, true, a hop count, or addresses and CIDR ranges. */
export type TrustProxy = boolean | number | string[];

export interface ServerSettings {
  shutdownGraceSeconds: number;
  trustProxy: TrustProxy;
  /** The absolute base of the URLs the service writes, without a trailing slash; null = from the request. */
  publicUrl: string | null;
  headersTimeoutSeconds: number;
  keepAliveTimeoutSeconds: number;
}

export function parseServerSettings(env: Environment): ServerSettings {
  return {
    shutdownGraceSeconds: integerSetting(env, 'SHUTDOWN_GRACE_SECONDS', 30, 0, 3600),
    trustProxy: trustProxy(env),
    publicUrl: publicUrl(env),
    headersTimeoutSeconds: integerSetting(env, 'HTTP_HEADERS_TIMEOUT_SECONDS', 20, 1, 600),
    keepAliveTimeoutSeconds: integerSetting(env, 'HTTP_KEEPALIVE_TIMEOUT_SECONDS', 5, 1, 600),
  };
}

function trustProxy(env: Environment): TrustProxy {
  const raw = rawValue(env, 'TRUST_PROXY');
  if (raw === undefined || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  if (/^[0-9]+$/.test(raw)) return integerSetting(env, 'TRUST_PROXY', 0, 0, 64);
  const list = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  try {
    // The same parser Express uses, so what starts here is what Express accepts.
    proxyAddr.compile(list);
  } catch {
    throw new ConfigValidationError(
      'TRUST_PROXY',
      `must be false, true, a number of hops, or comma-separated addresses, CIDR ranges or loopback/linklocal/uniquelocal, got "${raw}"`,
    );
  }
  return list;
}

function publicUrl(env: Environment): string | null {
  const raw = rawValue(env, 'PUBLIC_URL');
  if (raw === undefined) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new ConfigValidationError('PUBLIC_URL', `must be an absolute http(s) URL without query or fragment, like https://media.example.com, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

export const serverConfig = registerAs('server', () => parseServerSettings(process.env));
