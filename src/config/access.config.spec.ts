import { ConfigValidationError } from './config-validation.error.js';
import { parseAccessSettings } from './access.config.js';
import { parseDeliverySettings } from './delivery.config.js';
import { Environment } from './env-parsers.js';

const SIGNING = 's'.repeat(32);
const API = 'a'.repeat(24);
const signed = (env: Environment): Environment => ({ ACCESS_MODE: 'signed', SIGNING_KEYS: SIGNING, API_KEYS: API, ...env });

/** The one line a bad value stops the start with. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('parseAccessSettings', () => {
  it('is public with no keys by default', () => {
    expect(parseAccessSettings({})).toEqual({ mode: 'public', signingKeys: [], apiKeys: [], linkTtlSeconds: 3600 });
  });

  it('reads signed mode, key lists and the link lifetime', () => {
    const second = 't'.repeat(40);
    expect(parseAccessSettings(signed({ ACCESS_MODE: ' Signed ', SIGNING_KEYS: ` ${SIGNING} , ${second} ,`, LINK_TTL_SECONDS: '60' }))).toEqual({
      mode: 'signed',
      signingKeys: [SIGNING, second],
      apiKeys: [API],
      linkTtlSeconds: 60,
    });
  });

  it.each<[string, Environment, string]>([
    ['ACCESS_MODE', { ACCESS_MODE: 'private' }, 'must be "public" or "signed", got "private"'],
    ['SIGNING_KEYS', signed({ SIGNING_KEYS: '' }), 'is required when ACCESS_MODE=signed'],
    ['SIGNING_KEYS', signed({ SIGNING_KEYS: ' , ' }), 'is required when ACCESS_MODE=signed'],
    ['API_KEYS', signed({ API_KEYS: '' }), 'is required when ACCESS_MODE=signed'],
    ['SIGNING_KEYS', signed({ SIGNING_KEYS: `${SIGNING},${'x'.repeat(31)}` }), 'must hold keys of at least 32 characters; key 2 is shorter'],
    ['API_KEYS', signed({ API_KEYS: 'y'.repeat(23) }), 'must hold keys of at least 24 characters; key 1 is shorter'],
    ['SIGNING_KEYS', { SIGNING_KEYS: 'short-but-set-in-public-mode' }, 'must hold keys of at least 32 characters; key 1 is shorter'],
    ['LINK_TTL_SECONDS', { LINK_TTL_SECONDS: '0' }, 'must be between 1 and 604800, got 0'],
    ['LINK_TTL_SECONDS', { LINK_TTL_SECONDS: '604801' }, 'must be between 1 and 604800, got 604801'],
    ['LINK_TTL_SECONDS', { LINK_TTL_SECONDS: '1h' }, 'must be a whole number, got "1h"'],
  ])('stops on a bad %s', (variable, env, problem) => {
    expect(failure(() => parseAccessSettings(env))).toBe(`Invalid configuration: ${variable} ${problem}`);
  });

  it('never prints a key', () => {
    const secret = 'secret-value-that-is-too-short';
    expect(failure(() => parseAccessSettings(signed({ SIGNING_KEYS: secret })))).not.toContain(secret);
    expect(failure(() => parseAccessSettings(signed({ API_KEYS: 'tiny-secret' })))).not.toContain('tiny-secret');
  });
});

describe('parseDeliverySettings', () => {
  it('proxies by default, with five-minute presigned URLs', () => {
    expect(parseDeliverySettings({})).toEqual({ s3Delivery: 'proxy', s3RedirectSeconds: 300 });
    expect(parseDeliverySettings({ S3_DELIVERY: 'Redirect', S3_REDIRECT_SECONDS: '60' })).toEqual({ s3Delivery: 'redirect', s3RedirectSeconds: 60 });
  });

  it.each<[string, Environment, string]>([
    ['S3_DELIVERY', { S3_DELIVERY: 'cdn' }, 'must be "proxy" or "redirect", got "cdn"'],
    ['S3_REDIRECT_SECONDS', { S3_REDIRECT_SECONDS: '0' }, 'must be between 1 and 604800, got 0'],
    ['S3_REDIRECT_SECONDS', { S3_REDIRECT_SECONDS: '604801' }, 'must be between 1 and 604800, got 604801'],
  ])('stops on a bad %s', (variable, env, problem) => {
    expect(failure(() => parseDeliverySettings(env))).toBe(`Invalid configuration: ${variable} ${problem}`);
  });
});
