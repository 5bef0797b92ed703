/** Everything the app takes from the S3 backend, behind one import (see load-s3-backend.ts). */
export { S3_MAX_BODY_SOCKETS, S3_MAX_METADATA_SOCKETS, createS3Client } from './s3-client.factory.js';
export { S3MediaRepository } from './s3-media.repository.js';
export { S3MediaScanner } from './s3-media-scanner.js';
export { S3PresignedRedirect } from './s3-presigned-redirect.js';
export { S3ProgramInputSource } from './s3-program-input.js';
export { S3SidecarStore } from './s3-sidecar-store.js';
