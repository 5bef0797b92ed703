import { FileSystemMediaRepository } from './fs/fs-media.repository.js';
import { MediaOptions } from '../media-options.js';
import { MediaRepository } from './media.repository.js';
import { S3_MAX_BODY_SOCKETS, S3_MAX_METADATA_SOCKETS, createS3Client } from './s3/s3-client.factory.js';
import { S3MediaRepository } from './s3/s3-media.repository.js';
import { EmptySidecarStore } from './empty-sidecar-store.js';
import { FileSystemSidecarStore } from './fs/fs-sidecar-store.js';
import { S3SidecarStore } from './s3/s3-sidecar-store.js';
import type { SidecarStore } from './sidecar-store.js';

/** The built-in repository for the configured storage. */
export function createDefaultRepository(options: MediaOptions): MediaRepository {
  const storage = options.storage;
  if (storage === null) {
    throw new Error('MediaModule needs either options.storage or a repository class');
  }
  switch (storage.kind) {
    case 'fs':
      return new FileSystemMediaRepository(storage.root, options);
    case 's3':
      return new S3MediaRepository(
        createS3Client(storage, S3_MAX_METADATA_SOCKETS),
        storage,
        options,
        createS3Client(storage, S3_MAX_BODY_SOCKETS),
      );
  }
}

/** The built-in sidecar store for the configured storage; none without storage. */
export function createDefaultSidecarStore(options: MediaOptions): SidecarStore {
  const storage = options.storage;
  if (storage === null) {
    return new EmptySidecarStore();
  }
  switch (storage.kind) {
    case 'fs':
      return new FileSystemSidecarStore(storage.root, options.chunkSize);
    case 's3':
      // One small pool: sidecars are a few KB, read once per response.
      return new S3SidecarStore(createS3Client(storage, S3_MAX_METADATA_SOCKETS), storage);
  }
}
