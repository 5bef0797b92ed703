import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { mediaConfig } from '../config/media.config.js';
import { streamConfig } from '../config/stream.config.js';
import { FileSystemMediaRepository } from './fs-media.repository.js';
import { MediaLibraryService } from './media-library.service.js';
import { MEDIA_OPTIONS, MediaOptions } from './media-options.js';
import { MEDIA_REPOSITORY } from './media.repository.js';
import { RangeStreamService } from './range-stream.service.js';
import { VideoController } from './video.controller.js';

@Module({
  imports: [ConfigModule.forFeature(mediaConfig), ConfigModule.forFeature(streamConfig)],
  controllers: [VideoController],
  providers: [
    {
      provide: MEDIA_OPTIONS,
      inject: [mediaConfig.KEY, streamConfig.KEY],
      useFactory: (
        media: ConfigType<typeof mediaConfig>,
        stream: ConfigType<typeof streamConfig>,
      ): MediaOptions => ({ ...media, ...stream }),
    },
    { provide: MEDIA_REPOSITORY, useClass: FileSystemMediaRepository },
    MediaLibraryService,
    RangeStreamService,
  ],
  exports: [MEDIA_REPOSITORY, MediaLibraryService],
})
export class MediaModule {}
