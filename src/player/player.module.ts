import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { webConfig } from '../config/web.config.js';
import { MediaModule } from '../media/media.module.js';
import { PlayerController } from './player.controller.js';

@Module({
  imports: [ConfigModule.forFeature(webConfig), MediaModule],
  controllers: [PlayerController],
})
export class PlayerModule {}
