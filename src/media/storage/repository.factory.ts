import { FileSystemMediaRepository } from './fs/fs-media.repository.js';
import { loadS3Backend } from './load-s3-backend.js';
import { FileSystemMediaScanner } from './fs/fs-media-scanner.js';
import { MediaOptions } from '../media-options.js';
import { MediaRepository } from './media.repository.js';
import type { MediaScanner } from './media-scanner.js';
import { EmptySidecarStore } from './empty-sidecar-store.js';
import { FileSystemSidecarStore } from './fs/fs-sidecar-store.js';
import type { SidecarStore } from './sidecar-store.js';

/**
 * The built-in repository for the configured storage. The S3 modules (and the
 * AWS SDK under them) are imported only when S3 is configured: with fs they
 * would cost start time and resident memory for code that never runs.
 */
export async function createDefaultRepository(options: MediaOptions): Promise<MediaRepository> {
  const storage = options.storage;
  if (storage === null) {
    throw new Error('MediaModule needs either options.storage or a repository class');
  }
  switch (storage.kind) {
    case 'fs':
      return new FileSystemMediaRepository(storage.root, options);
    case 's3': {
      const { S3_MAX_BODY_SOCKETS, S3_MAX_METADATA_SOCKETS, createS3Client, S3MediaRepository } = await loadS3Backend();
      return new S3MediaRepository(
        createS3Client(storage, S3_MAX_METADATA_SOCKETS),
        storage,
        options,
        createS3Client(storage, S3_MAX_BODY_SOCKETS),
      );
    }
  }
}

/** The built-in sidecar store for the configured storage; none without storage. */
export async function createDefaultSidecarStore(options: MediaOptions): Promise<SidecarStore> {
  const storage = options.storage;
  if (storage === null) {
    return new EmptySidecarStore();
  }
  switch (storage.kind) {
    case 'fs':
      return new FileSystemSidecarStore(storage.root, options.chunkSize);
    case 's3': {
      const { S3_MAX_METADATA_SOCKETS, createS3Client, S3SidecarStore } = await loadS3Backend();
      // One small pool: sidecars are a few KB, read once per response.
      return new S3SidecarStore(createS3Client(storage, S3_MAX_METADATA_SOCKETS), storage);
    }
  }
}

/**
 * The scanner for the configured storage. With a repository of the app's own
 * and no storage options, its list() is the scan: slower, but the catalog
 * still works (and finds no sidecars).
 */
export async function createDefaultScanner(options: MediaOptions, repository: MediaRepository): Promise<MediaScanner> {
  const storage = options.storage;
  if (storage === null) {
    return { scan: async () => ({ items: await repository.list(), sidecars: [] }) };
  }
  switch (storage.kind) {
    case 'fs':
      return new FileSystemMediaScanner(storage.root, options);
    case 's3': {
      const { createS3Client, S3MediaScanner } = await loadS3Backend();
      // Its own client: a long listing must not hold the sockets that lookups need.
      return new S3MediaScanner(createS3Client(storage, 2), storage, options);
    }
  }
}
