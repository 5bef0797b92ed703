import { registerAs } from '@nestjs/config';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MEDIA_EXTENSIONS } from '../media/media-types.js';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, rawValue } from './env-parsers.js';

export interface MediaSettings {
  root: string;
  extensions: string[];
}

export function parseMediaSettings(env: Environment): MediaSettings {
  return { root: mediaRoot(env), extensions: mediaExtensions(env) };
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
