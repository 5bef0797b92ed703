import { registerAs } from '@nestjs/config';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MEDIA_EXTENSIONS } from '../media/storage/media-types.js';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, rawValue } from './env-parsers.js';

export type MediaBackend = 'fs' | 's3';

export interface MediaSettings {
  backend: MediaBackend;
  /** The absolute MEDIA_ROOT; checked only when the backend is 'fs'. */
  root: string;
  extensions: string[];
}

export function parseMediaSettings(env: Environment): MediaSettings {
  const backend = mediaBackend(env);
  return {
    backend,
    root: backend === 'fs' ? mediaRoot(env) : path.resolve(rawValue(env, 'MEDIA_ROOT') ?? './media'),
    extensions: mediaExtensions(env),
  };
}

function mediaBackend(env: Environment): MediaBackend {
  const raw = (rawValue(env, 'MEDIA_BACKEND') ?? 'fs').toLowerCase();
  if (raw !== 'fs' && raw !== 's3') {
    throw new ConfigValidationError('MEDIA_BACKEND', `must be "fs" or "s3", got "${raw}"`);
  }
  return raw;
}

function mediaRoot(env: Environment): string {
  const configured = rawValue(env, 'MEDIA_ROOT') ?? './media';
  const root = path.resolve(configured);
  try {
    if (!statSync(root).isDirectory()) {
      throw new ConfigValidationError('MEDIA_ROOT', `is not a folder: ${configured}`);
    }
    accessSync(root, constants.R_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof ConfigValidationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new ConfigValidationError('MEDIA_ROOT', `${problem}: ${configured}`);
  }
  return root;
}

function mediaExtensions(env: Environment): string[] {
  const raw = rawValue(env, 'MEDIA_EXTENSIONS');
  if (raw === undefined) {
    return [...DEFAULT_MEDIA_EXTENSIONS];
  }
  const extensions = raw
    .split(',')
    .map((ext) => ext.trim().replace(/^\./, '').toLowerCase())
    .filter((ext) => ext.length > 0);
  const bad = extensions.find((ext) => !/^[a-z0-9]+$/.test(ext));
  if (bad !== undefined || extensions.length === 0) {
    throw new ConfigValidationError(
      'MEDIA_EXTENSIONS',
      `must be a comma-separated list of letters and digits such as "mp4,webm", got "${raw}"`,
    );
  }
  return [...new Set(extensions)];
}

export const mediaConfig = registerAs('media', () => parseMediaSettings(process.env));
