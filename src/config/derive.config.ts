import { registerAs } from '@nestjs/config';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, integerSetting, rawValue } from './env-parsers.js';

export interface DeriveSettings {
  /** ffprobe/ffmpeg processes running at once, probes and posters together. */
  probeConcurrency: number;
  /** Seconds one process may run before it is killed. */
  probeTimeoutSeconds: number;
  /** Absolute path given by FFPROBE_PATH, or null to look on PATH, then in npm packages. */
  ffprobePath: string | null;
  ffmpegPath: string | null;
}

function programSetting(env: Environment, name: string): string | null {
  const raw = rawValue(env, name);
  if (raw === undefined) return null;
  const resolved = path.resolve(raw);
  try {
    accessSync(resolved, constants.X_OK);
    if (statSync(resolved).isFile()) return resolved;
  } catch {
    // Reported below, in one line.
  }
  throw new ConfigValidationError(name, `must be an executable file, got "${raw}"`);
}

export function parseDeriveSettings(env: Environment): DeriveSettings {
  return {
    probeConcurrency: integerSetting(env, 'PROBE_CONCURRENCY', 2, 1, 64),
    probeTimeoutSeconds: integerSetting(env, 'PROBE_TIMEOUT_SECONDS', 30, 1, 3600),
    ffprobePath: programSetting(env, 'FFPROBE_PATH'),
    ffmpegPath: programSetting(env, 'FFMPEG_PATH'),
  };
}

export const deriveConfig = registerAs('derive', () => parseDeriveSettings(process.env));
