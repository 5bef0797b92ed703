import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MediaModule } from '../media/media.module.js';
import { HealthController } from './health.controller.js';
import { MediaStorageHealthIndicator } from './media-storage.health.js';

@Module({
  imports: [TerminusModule, MediaModule],
  controllers: [HealthController],
  providers: [MediaStorageHealthIndicator],
})
export class HealthModule {}
