import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ProgramName = 'ffprobe' | 'ffmpeg';

/** Where each program was found, or null when none could be. */
export type ProgramPaths = Readonly<Record<ProgramName, string | null>>;

/** The npm packages that ship a Linux/macOS/Windows build of each program. */
const SHIPPED: Readonly<Record<ProgramName, string>> = {
  ffprobe: '@ffprobe-installer/ffprobe',
  ffmpeg: '@ffmpeg-installer/ffmpeg',
};

function isExecutableFile(candidate: string): boolean {
  try {
    accessSync(candidate, constants.X_OK);
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
}

/** The first executable `name` in the folders of `searchPath` (PATH's syntax). */
export function findOnPath(name: string, searchPath: string | undefined): string | null {
  for (const folder of (searchPath ?? '').split(path.delimiter)) {
    // An empty or relative entry would mean the working directory: never trusted.
    if (folder === '' || !path.isAbsolute(folder)) continue;
    const candidate = path.join(folder, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/**
 * The binary inside the npm package. Those packages are CommonJS and throw
 * when the platform has no build, so they are required, not imported.
 */
export function findShipped(name: ProgramName): string | null {
  try {
    const require = createRequire(import.meta.url);
    const shipped = require(SHIPPED[name]) as { path?: unknown };
    return typeof shipped.path === 'string' && isExecutableFile(shipped.path) ? shipped.path : null;
  } catch {
    return null;
  }
}

/** The explicit setting (already validated), else PATH, else the npm package. */
export function locateProgram(name: ProgramName, explicit: string | null, searchPath: string | undefined): string | null {
  return explicit ?? findOnPath(name, searchPath) ?? findShipped(name);
}

export function locatePrograms(explicit: ProgramPaths, searchPath: string | undefined = process.env.PATH): ProgramPaths {
  return {
    ffprobe: locateProgram('ffprobe', explicit.ffprobe, searchPath),
    ffmpeg: locateProgram('ffmpeg', explicit.ffmpeg, searchPath),
  };
}
