import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { httpConfig } from './config/http.config.js';
import { validateEnvironment } from './config/validate-environment.js';
import { MediaModule } from './media/media.module.js';

const configRoot = ConfigModule.forRoot({
  isGlobal: true,
  cache: true,
  load: [httpConfig],
  validate: validateEnvironment,
});
// forRoot validates as this file is imported, before Nest awaits the promise.
// Marking the rejection as seen keeps Node from crashing on it with a stack
// trace; Nest still receives it, and main.ts prints its one line.
configRoot.catch(() => undefined);

@Module({
  imports: [configRoot, MediaModule],
})
export class AppModule {}
