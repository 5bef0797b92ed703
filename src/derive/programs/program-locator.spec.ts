import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findOnPath, findShipped, locateProgram } from './program-locator.js';

describe('program locator', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'locator-'));
    await writeFile(path.join(folder, 'ffprobe'), '#!/bin/sh\n');
    await chmod(path.join(folder, 'ffprobe'), 0o755);
    await writeFile(path.join(folder, 'ffmpeg'), 'not executable');
  });

  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('takes the first executable file on PATH and skips relative entries', () => {
    expect(findOnPath('ffprobe', ['relative', '', folder].join(path.delimiter))).toBe(path.join(folder, 'ffprobe'));
    expect(findOnPath('ffmpeg', folder)).toBeNull();
    expect(findOnPath('ffprobe', undefined)).toBeNull();
  });

  it('finds the binaries that the npm packages ship', () => {
    expect(findShipped('ffprobe')).toMatch(/@ffprobe-installer\/.+\/ffprobe$/);
    expect(findShipped('ffmpeg')).toMatch(/@ffmpeg-installer\/.+\/ffmpeg$/);
  });

  it('prefers the setting, then PATH, then the package', () => {
    expect(locateProgram('ffprobe', '/set/ffprobe', folder)).toBe('/set/ffprobe');
    expect(locateProgram('ffprobe', null, folder)).toBe(path.join(folder, 'ffprobe'));
    expect(locateProgram('ffmpeg', null, folder)).toMatch(/@ffmpeg-installer/);
  });
});
