import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { webConfig } from '../config/web.config.js';
import { SubtitlesModule } from '../derive/subtitles/subtitles.module.js';
import { PlayerController } from './player.controller.js';

@Module({
  // MediaModule is global: the library service comes from the app's forRoot.
  imports: [ConfigModule.forFeature(webConfig), SubtitlesModule],
  controllers: [PlayerController],
})
export class PlayerModule {}
