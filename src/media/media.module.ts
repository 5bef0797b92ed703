import { Module } from '@nestjs/common';
import { MediaLibraryService } from './api/media-library.service.js';
import { MEDIA_MODULE_OPTIONS, ConfigurableMediaModule } from './media.module-definition.js';
import { MEDIA_OPTIONS, MediaModuleOptions, resolveMediaOptions } from './media-options.js';
import { MEDIA_REPOSITORY } from './storage/media.repository.js';
import { SIDECAR_STORE } from './storage/sidecar-store.js';
import { RangeStreamService } from './streaming/range-stream.service.js';
import { StreamFastPath } from './api/stream-fast-path.js';
import { VideoController } from './api/video.controller.js';

/**
 * The media routes (`/api/videos`), their services and the repository.
 * Import with `MediaModule.forRoot({...})` or `MediaModule.forRootAsync({...})`,
 * optionally with `repository: YourRepositoryClass`.
 */
@Module({
  controllers: [VideoController],
  providers: [
    { provide: MEDIA_OPTIONS, inject: [MEDIA_MODULE_OPTIONS], useFactory: (options: MediaModuleOptions) => resolveMediaOptions(options) },
    MediaLibraryService,
    RangeStreamService,
    StreamFastPath,
  ],
  exports: [MEDIA_OPTIONS, MEDIA_REPOSITORY, SIDECAR_STORE, MediaLibraryService, RangeStreamService, StreamFastPath],
})
export class MediaModule extends ConfigurableMediaModule {}
