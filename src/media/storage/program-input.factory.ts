import type { MediaOptions } from '../media-options.js';
import { loadS3Backend } from './load-s3-backend.js';
import { FsProgramInputSource } from './fs/fs-program-input.js';
import type { MediaRepository } from './media.repository.js';
import type { ProgramInputSource } from './program-input.js';

/** Presigning opens no connection; the client holds region, endpoint and credentials. */
const PRESIGN_SOCKETS = 1;

/**
 * The built-in ProgramInputSource for the configured storage; null with a
 * repository of the app's own (bind PROGRAM_INPUT_SOURCE to derive from it).
 */
export async function createProgramInputSource(options: MediaOptions, repository: MediaRepository): Promise<ProgramInputSource | null> {
  const storage = options.storage;
  if (storage === null) return null;
  switch (storage.kind) {
    case 'fs':
      return new FsProgramInputSource(storage.root, options);
    case 's3': {
      // Imported only with S3 configured: the fs service never loads the AWS SDK.
      const { createS3Client, S3ProgramInputSource } = await loadS3Backend();
      return new S3ProgramInputSource(createS3Client(storage, PRESIGN_SOCKETS), storage, repository);
    }
  }
}
