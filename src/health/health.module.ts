import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { MediaStorageHealthIndicator } from './media-storage.health.js';
import { ShutdownHealthIndicator } from './shutdown.health.js';

@Module({
  // MediaModule is global: the repository comes from whichever forRoot the app chose.
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [MediaStorageHealthIndicator, ShutdownHealthIndicator],
})
export class HealthModule {}
