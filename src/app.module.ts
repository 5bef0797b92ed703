import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { httpConfig } from './config/http.config.js';
import { validateEnvironment } from './config/validate-environment.js';
import { webConfig } from './config/web.config.js';
import { HealthModule } from './health/health.module.js';
import { MediaModule } from './media/media.module.js';
import { PlayerModule } from './player/player.module.js';

const configRoot = ConfigModule.forRoot({
  isGlobal: true,
  cache: true,
  load: [httpConfig, webConfig],
  validate: validateEnvironment,
});
// forRoot validates as this file is imported, before Nest awaits the promise.
// Marking the rejection as seen keeps Node from crashing on it with a stack
// trace; Nest still receives it, and main.ts prints its one line.
configRoot.catch(() => undefined);

@Module({
  imports: [configRoot, MediaModule, HealthModule, PlayerModule],
})
export class AppModule {}
