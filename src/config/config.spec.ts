import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MEDIA_EXTENSIONS } from '../media/storage/media-types.js';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment } from './env-parsers.js';
import { parseHttpSettings } from './http.config.js';
import { parseMediaSettings } from './media.config.js';
import { StreamSettings, parseStreamSettings } from './stream.config.js';
import { validateEnvironment } from './validate-environment.js';

/** Runs `fn` and returns the ConfigValidationError it throws. */
function configError(fn: () => unknown): ConfigValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      return error;
    }
    throw new Error(`expected a ConfigValidationError, got ${String(error)}`);
  }
  throw new Error('expected a ConfigValidationError, nothing was thrown');
}

/** The message must be one line that names the variable. */
function expectNamesVariable(error: ConfigValidationError, variable: string): void {
  expect(error.name).toBe('ConfigValidationError');
  expect(error.message.startsWith(`Invalid configuration: ${variable} `)).toBe(true);
  expect(error.message).not.toMatch(/[\r\n]/);
}

let tmp: string;
let mediaRoot: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'config-spec-'));
  mediaRoot = path.join(tmp, 'media');
  mkdirSync(mediaRoot);
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('ConfigValidationError', () => {
  it('is one line naming the variable', () => {
    const error = new ConfigValidationError('PORT', 'must be a whole number, got "x"');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('Invalid configuration: PORT must be a whole number, got "x"');
  });
});

describe('parseHttpSettings', () => {
  it('defaults to 0.0.0.0:3000', () => {
    expect(parseHttpSettings({})).toEqual({ port: 3000, host: '0.0.0.0', workers: 1 });
  });

  it.each<[string | undefined, number]>([
    [undefined, 3000],
    ['', 3000],
    ['   ', 3000],
    ['8080', 8080],
    [' 8080 ', 8080],
    ['1', 1],
    ['080', 80],
    ['65535', 65535],
  ])('PORT=%j -> %i', (PORT, port) => {
    expect(parseHttpSettings({ PORT }).port).toBe(port);
  });

  it.each(['abc', '80a', '8080.0', '80.5', '1e3', '0x50', '+80', '-1', '65536', '99999999999999999999', '80 81'])(
    'rejects PORT=%j',
    (PORT) => {
      expectNamesVariable(configError(() => parseHttpSettings({ PORT })), 'PORT');
    },
  );

  it('quotes the bad value', () => {
    expect(configError(() => parseHttpSettings({ PORT: 'abc' })).message).toBe(
      'Invalid configuration: PORT must be a whole number, got "abc"',
    );
    expect(configError(() => parseHttpSettings({ PORT: '70000' })).message).toBe(
      'Invalid configuration: PORT must be between 0 and 65535, got 70000',
    );
  });

  it.each<[string, string]>([
    ['127.0.0.1', '127.0.0.1'],
    ['::', '::'],
    ['localhost', 'localhost'],
    [' localhost ', 'localhost'],
  ])('HOST=%j -> %j', (HOST, host) => {
    expect(parseHttpSettings({ HOST }).host).toBe(host);
  });

  it('rejects a HOST with whitespace inside', () => {
    expectNamesVariable(configError(() => parseHttpSettings({ HOST: 'local host' })), 'HOST');
  });
});

describe('parseMediaSettings', () => {
  it('resolves MEDIA_ROOT to an absolute path', () => {
    expect(parseMediaSettings({ MEDIA_ROOT: mediaRoot })).toMatchObject({
      root: mediaRoot,
      extensions: [...DEFAULT_MEDIA_EXTENSIONS],
    });
  });

  it('resolves a relative MEDIA_ROOT against the working folder', () => {
    const relative = path.relative(process.cwd(), mediaRoot);
    expect(parseMediaSettings({ MEDIA_ROOT: relative }).root).toBe(mediaRoot);
    expect(parseMediaSettings({ MEDIA_ROOT: ` ${mediaRoot}/ ` }).root).toBe(mediaRoot);
  });

  it('defaults MEDIA_ROOT to ./media', () => {
    const previous = process.cwd();
    process.chdir(tmp);
    try {
      expect(parseMediaSettings({}).root).toBe(mediaRoot);
      expect(parseMediaSettings({ MEDIA_ROOT: '' }).root).toBe(mediaRoot);
    } finally {
      process.chdir(previous);
    }
  });

  it('accepts a symbolic link to a folder', () => {
    const link = path.join(tmp, 'media-link');
    symlinkSync(mediaRoot, link);
    expect(parseMediaSettings({ MEDIA_ROOT: link }).root).toBe(link);
  });

  it('rejects a missing MEDIA_ROOT', () => {
    const missing = path.join(tmp, 'does-not-exist');
    const error = configError(() => parseMediaSettings({ MEDIA_ROOT: missing }));
    expectNamesVariable(error, 'MEDIA_ROOT');
    expect(error.message).toBe(`Invalid configuration: MEDIA_ROOT does not exist: ${missing}`);
  });

  it('rejects a missing default ./media', () => {
    const empty = path.join(tmp, 'empty-cwd');
    mkdirSync(empty);
    const previous = process.cwd();
    process.chdir(empty);
    try {
      expect(configError(() => parseMediaSettings({})).message).toBe(
        'Invalid configuration: MEDIA_ROOT does not exist: ./media',
      );
    } finally {
      process.chdir(previous);
    }
  });

  it('rejects a MEDIA_ROOT that is a file', () => {
    const file = path.join(tmp, 'a-file.mp4');
    writeFileSync(file, 'not a folder');
    const error = configError(() => parseMediaSettings({ MEDIA_ROOT: file }));
    expectNamesVariable(error, 'MEDIA_ROOT');
    expect(error.message).toBe(`Invalid configuration: MEDIA_ROOT is not a folder: ${file}`);
  });

  it('rejects a MEDIA_ROOT below a file', () => {
    const file = path.join(tmp, 'plain-file');
    writeFileSync(file, '');
    const below = path.join(file, 'media');
    const error = configError(() => parseMediaSettings({ MEDIA_ROOT: below }));
    expectNamesVariable(error, 'MEDIA_ROOT');
    expect(error.message).toBe(`Invalid configuration: MEDIA_ROOT cannot be read: ${below}`);
  });

  it('rejects a MEDIA_ROOT that is a symbolic link loop', () => {
    const loop = path.join(tmp, 'loop');
    symlinkSync(loop, loop);
    const error = configError(() => parseMediaSettings({ MEDIA_ROOT: loop }));
    expectNamesVariable(error, 'MEDIA_ROOT');
    expect(error.message).toBe(`Invalid configuration: MEDIA_ROOT cannot be read: ${loop}`);
  });

  // Permission bits do not stop root, so this case can only be checked as another user.
  const asNonRoot = process.getuid?.() === 0 ? it.skip : it;
  asNonRoot.each<[string, number]>([
    ['no permissions', 0o000],
    ['readable but not searchable', 0o444],
    ['searchable but not readable', 0o111],
  ])('rejects an unreadable MEDIA_ROOT (%s)', (_name, mode) => {
    const folder = path.join(tmp, `locked-${mode.toString(8)}`);
    mkdirSync(folder);
    chmodSync(folder, mode);
    try {
      const error = configError(() => parseMediaSettings({ MEDIA_ROOT: folder }));
      expectNamesVariable(error, 'MEDIA_ROOT');
      expect(error.message).toBe(`Invalid configuration: MEDIA_ROOT cannot be read: ${folder}`);
    } finally {
      chmodSync(folder, 0o755);
    }
  });

  describe('MEDIA_EXTENSIONS', () => {
    const extensions = (MEDIA_EXTENSIONS: string | undefined): string[] =>
      parseMediaSettings({ MEDIA_ROOT: mediaRoot, MEDIA_EXTENSIONS }).extensions;

    it.each<[string | undefined, string[]]>([
      [undefined, [...DEFAULT_MEDIA_EXTENSIONS]],
      ['', [...DEFAULT_MEDIA_EXTENSIONS]],
      ['  ', [...DEFAULT_MEDIA_EXTENSIONS]],
      ['mp4', ['mp4']],
      ['mp4,webm', ['mp4', 'webm']],
      ['MP4,WebM', ['mp4', 'webm']],
      [' mp4 , webm ', ['mp4', 'webm']],
      ['.mp4,.mkv', ['mp4', 'mkv']],
      ['mp4,,webm,', ['mp4', 'webm']],
      ['mp4,MP4,.mp4', ['mp4']],
      ['3gp,m2ts', ['3gp', 'm2ts']],
    ])('%j -> %j', (value, expected) => {
      expect(extensions(value)).toEqual(expected);
    });

    it.each([',', ' , , ', '.', 'mp4,we bm', 'mp4;webm', '*.mp4', 'mp4,*', 'video/mp4', 'tar.gz', '..mp4', 'mp-4', 'caf\u00e9'])(
      'rejects %j',
      (value) => {
        const error = configError(() => extensions(value));
        expectNamesVariable(error, 'MEDIA_EXTENSIONS');
        expect(error.message).toContain(`got "${value.trim()}"`);
      },
    );
  });
});

describe('parseStreamSettings', () => {
  it('has the defaults: no range cap, an hour of caching', () => {
    const defaults = parseStreamSettings({});
    expect(defaults).toMatchObject({ maxRangeBytes: 0, cacheMaxAge: 3600 });
    // the chunk size is chosen by benchmark: only its bounds are fixed
    expect(Number.isSafeInteger(defaults.chunkSize)).toBe(true);
    expect(defaults.chunkSize).toBeGreaterThanOrEqual(4096);
    expect(defaults.chunkSize).toBeLessThanOrEqual(16777216);
  });

  it('treats blank values as unset', () => {
    expect(parseStreamSettings({ STREAM_CHUNK_SIZE: ' ', STREAM_MAX_RANGE_BYTES: '', CACHE_MAX_AGE: '\t' })).toEqual(
      parseStreamSettings({}),
    );
  });

  it.each<[string, Environment, Partial<StreamSettings>]>([
    ['smallest chunk size', { STREAM_CHUNK_SIZE: '4096' }, { chunkSize: 4096 }],
    ['largest chunk size', { STREAM_CHUNK_SIZE: '16777216' }, { chunkSize: 16777216 }],
    ['a range cap', { STREAM_MAX_RANGE_BYTES: '1048576' }, { maxRangeBytes: 1048576 }],
    ['no range cap', { STREAM_MAX_RANGE_BYTES: '0' }, { maxRangeBytes: 0 }],
    ['a very large range cap', { STREAM_MAX_RANGE_BYTES: '9007199254740991' }, { maxRangeBytes: Number.MAX_SAFE_INTEGER }],
    ['no caching', { CACHE_MAX_AGE: '0' }, { cacheMaxAge: 0 }],
    ['a year of caching', { CACHE_MAX_AGE: '31536000' }, { cacheMaxAge: 31536000 }],
  ])('%s', (_name, env, expected) => {
    expect(parseStreamSettings(env)).toMatchObject(expected);
  });

  it.each<[string, string]>([
    ['STREAM_CHUNK_SIZE', '4095'],
    ['STREAM_CHUNK_SIZE', '16777217'],
    ['STREAM_CHUNK_SIZE', '0'],
    ['STREAM_CHUNK_SIZE', '-65536'],
    ['STREAM_CHUNK_SIZE', '64k'],
    ['STREAM_CHUNK_SIZE', '65536.5'],
    ['STREAM_MAX_RANGE_BYTES', '-1'],
    ['STREAM_MAX_RANGE_BYTES', '-1048576'],
    ['STREAM_MAX_RANGE_BYTES', '1MB'],
    ['STREAM_MAX_RANGE_BYTES', '99999999999999999999'],
    ['CACHE_MAX_AGE', '-1'],
    ['CACHE_MAX_AGE', '1h'],
    ['CACHE_MAX_AGE', '3600.5'],
  ])('rejects %s=%j', (variable, value) => {
    expectNamesVariable(configError(() => parseStreamSettings({ [variable]: value })), variable);
  });
});

describe('validateEnvironment', () => {
  it('returns a valid environment unchanged', () => {
    const env: Environment = {
      PORT: '8080',
      HOST: '127.0.0.1',
      MEDIA_ROOT: mediaRoot,
      MEDIA_EXTENSIONS: 'mp4,webm',
      STREAM_CHUNK_SIZE: '65536',
      STREAM_MAX_RANGE_BYTES: '0',
      CACHE_MAX_AGE: '60',
      UNRELATED: 'x',
    };
    const copy = { ...env };
    expect(validateEnvironment(env)).toBe(env);
    expect(env).toEqual(copy);
  });

  it('accepts an environment of defaults when MEDIA_ROOT exists', () => {
    expect(() => validateEnvironment({ MEDIA_ROOT: mediaRoot })).not.toThrow();
  });

  it.each<[string, Environment]>([
    ['PORT', { PORT: 'http' }],
    ['HOST', { HOST: 'a b' }],
    ['MEDIA_ROOT', { MEDIA_ROOT: '/definitely/not/here/media' }],
    ['MEDIA_EXTENSIONS', { MEDIA_EXTENSIONS: '*' }],
    ['STREAM_CHUNK_SIZE', { STREAM_CHUNK_SIZE: '1' }],
    ['STREAM_MAX_RANGE_BYTES', { STREAM_MAX_RANGE_BYTES: '-5' }],
    ['CACHE_MAX_AGE', { CACHE_MAX_AGE: '-1' }],
  ])('stops on a bad %s with a message naming it', (variable, bad) => {
    const env: Environment = { MEDIA_ROOT: mediaRoot, ...bad };
    expectNamesVariable(configError(() => validateEnvironment(env)), variable);
  });
});

describe('integer settings are written plainly', () => {
  it.each(['-0', '+80'])('PORT=%s is refused', (value) => {
    expect(() => parseHttpSettings({ PORT: value })).toThrow(/^Invalid configuration: PORT must be/);
  });
});

describe('WEB_CONCURRENCY', () => {
  it('defaults to one process and takes 1 to 64', () => {
    expect(parseHttpSettings({}).workers).toBe(1);
    expect(parseHttpSettings({ WEB_CONCURRENCY: '4' }).workers).toBe(4);
  });
  it.each(['0', '65', 'two', '-1'])('refuses %s, naming the variable', (value) => {
    expect(() => parseHttpSettings({ WEB_CONCURRENCY: value })).toThrow(/^Invalid configuration: WEB_CONCURRENCY /);
  });
});
