import { ConfigValidationError } from './config-validation.error.js';
import { parseObservabilitySettings } from './observability.config.js';
import { parseServerSettings } from './server.config.js';

describe('parseObservabilitySettings', () => {
  it('has the contract defaults', () => {
    expect(parseObservabilitySettings({})).toEqual({ logLevel: 'info', logFormat: 'json', metricsEnabled: true, metricsToken: null });
  });

  it('reads every level, both formats, booleans and a token', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      expect(parseObservabilitySettings({ LOG_LEVEL: level.toUpperCase() }).logLevel).toBe(level);
    }
    expect(parseObservabilitySettings({ LOG_FORMAT: 'pretty', METRICS_ENABLED: 'false', METRICS_TOKEN: 'abcdefghijklmnop-_.~+/=' })).toMatchObject({
      logFormat: 'pretty',
      metricsEnabled: false,
      metricsToken: 'abcdefghijklmnop-_.~+/=',
    });
  });

  it.each([
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'text' }],
    ['METRICS_ENABLED', { METRICS_ENABLED: 'yes please' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'too-short' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'has spaces in the middle of it' }],
  ] as [string, Record<string, string>][])('refuses a bad %s, naming it and never echoing a token', (name, env) => {
    expect(() => parseObservabilitySettings(env)).toThrow(ConfigValidationError);
    expect(() => parseObservabilitySettings(env)).toThrow(name);
    if (env.METRICS_TOKEN !== undefined) expect(() => parseObservabilitySettings(env)).not.toThrow(env.METRICS_TOKEN);
  });
});

describe('parseServerSettings', () => {
  it('has the contract defaults', () => {
    expect(parseServerSettings({})).toEqual({
      shutdownGraceSeconds: 30,
      trustProxy: false,
      publicUrl: null,
      headersTimeoutSeconds: 20,
      keepAliveTimeoutSeconds: 5,
    });
  });

  it('reads TRUST_PROXY as Express does: booleans, hops, addresses and CIDRs', () => {
    expect(parseServerSettings({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseServerSettings({ TRUST_PROXY: 'FALSE' }).trustProxy).toBe(false);
    expect(parseServerSettings({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(parseServerSettings({ TRUST_PROXY: 'loopback, 10.0.0.0/8 ,fd00::/8,192.168.1.1' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.1',
    ]);
  });

  it('keeps PUBLIC_URL without a trailing slash', () => {
    expect(parseServerSettings({ PUBLIC_URL: 'https://media.example.com/' }).publicUrl).toBe('https://media.example.com');
    expect(parseServerSettings({ PUBLIC_URL: 'http://10.0.0.5:8080/media/' }).publicUrl).toBe('http://10.0.0.5:8080/media');
  });

  it.each([
    ['TRUST_PROXY', { TRUST_PROXY: 'proxy.example.com' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/99' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'media.example.com' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://media.example.com' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://media.example.com/?x=1' }],
    ['SHUTDOWN_GRACE_SECONDS', { SHUTDOWN_GRACE_SECONDS: 'soon' }],
    ['HTTP_HEADERS_TIMEOUT_SECONDS', { HTTP_HEADERS_TIMEOUT_SECONDS: '0' }],
    ['HTTP_KEEPALIVE_TIMEOUT_SECONDS', { HTTP_KEEPALIVE_TIMEOUT_SECONDS: '-3' }],
  ] as [string, Record<string, string>][])('refuses a bad %s, naming it', (name, env) => {
    expect(() => parseServerSettings(env)).toThrow(ConfigValidationError);
    expect(() => parseServerSettings(env)).toThrow(name);
  });
});
