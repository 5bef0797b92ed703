import { Module } from '@nestjs/common';
import { SubtitlesController } from './subtitles.controller.js';
import { SubtitlesService } from './subtitles.service.js';

/**
 * `GET, HEAD /api/videos/:id/subtitles/:track`. Needs MediaModule (global):
 * MEDIA_REPOSITORY, SIDECAR_STORE and MEDIA_OPTIONS.
 */
@Module({
  controllers: [SubtitlesController],
  providers: [SubtitlesService],
  // The player pages list the tracks through it.
  exports: [SubtitlesService],
})
export class SubtitlesModule {}
