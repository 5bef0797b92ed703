import { registerAs } from '@nestjs/config';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigValidationError } from './config-validation.error.js';
import { Environment, rawValue } from './env-parsers.js';

export interface DataSettings {
  /** Absolute folder for the catalog and derived files (posters), created at start. */
  dataDir: string;
}

export function parseDataSettings(env: Environment): DataSettings {
  const dataDir = path.resolve(rawValue(env, 'DATA_DIR') ?? './data');
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    // The path is the operator's own setting, so naming it is no leak.
    throw new ConfigValidationError('DATA_DIR', `must be a folder the service can create and write, got "${rawValue(env, 'DATA_DIR') ?? './data'}"`);
  }
  return { dataDir };
}

export const dataConfig = registerAs('data', () => parseDataSettings(process.env));
