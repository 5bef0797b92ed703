import { Global, Module } from '@nestjs/common';
import { loadS3Backend } from '../media/storage/load-s3-backend.js';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { deliveryConfig } from '../config/delivery.config.js';
import { MEDIA_OPTIONS, type MediaOptions } from '../media/media-options.js';
import { MEDIA_REPOSITORY, type MediaRepository } from '../media/storage/media.repository.js';
import { STREAM_REDIRECT, type StreamRedirect } from '../media/streaming/stream-redirect.js';

/** Presigning opens no connection: the client only holds the region, endpoint and credentials. */
const PRESIGN_SOCKETS = 1;

async function streamRedirect(delivery: ConfigType<typeof deliveryConfig>, options: MediaOptions, repository: MediaRepository): Promise<StreamRedirect | null> {
  const storage = options.storage;
  if (delivery.s3Delivery !== 'redirect' || storage?.kind !== 's3') return null;
  // Imported only for S3 redirects, so the fs service never loads the AWS SDK.
  const { createS3Client, S3PresignedRedirect } = await loadS3Backend();
  return new S3PresignedRedirect(createS3Client(storage, PRESIGN_SOCKETS), storage, repository, delivery.s3RedirectSeconds);
}

/**
 * How the stream route's bytes reach the client: through the service (no
 * STREAM_REDIRECT, the default), or by a redirect to the object store
 * (MEDIA_BACKEND=s3 with S3_DELIVERY=redirect).
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(deliveryConfig)],
  providers: [{ provide: STREAM_REDIRECT, inject: [deliveryConfig.KEY, MEDIA_OPTIONS, MEDIA_REPOSITORY], useFactory: streamRedirect }],
  exports: [STREAM_REDIRECT],
})
export class DeliveryModule {}
