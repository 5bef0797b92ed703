import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { MediaStorageOptions } from '../../media-options.js';

/**
 * Upper bound on sockets to S3 for bodies. Each streaming response holds one
 * until its body is read or destroyed; past the bound, requests queue instead
 * of opening ever more connections.
 */
export const S3_MAX_BODY_SOCKETS = 128;
/** Sockets for metadata calls, kept apart so stalled bodies cannot starve them. */
export const S3_MAX_METADATA_SOCKETS = 32;

type S3Storage = Extract<MediaStorageOptions, { kind: 's3' }>;

export function createS3Client(storage: S3Storage, maxSockets: number): S3Client {
  const agent = { keepAlive: true, maxSockets };
  return new S3Client({
    region: storage.region,
    endpoint: storage.endpoint,
    forcePathStyle: storage.forcePathStyle,
    // Only what S3 requires: many S3-compatible servers reject or mangle the
    // newer default checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({
      httpAgent: agent,
      httpsAgent: agent,
      connectionTimeout: 5_000,
      // Like nginx's send_timeout: a reader stalled this long gives up its socket.
      socketTimeout: 60_000,
    }),
  });
}
