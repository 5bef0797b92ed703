import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { AccessModule } from './access/access.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { catalogConfig } from './config/catalog.config.js';
import { dataConfig } from './config/data.config.js';
import { DeliveryModule } from './delivery/delivery.module.js';
import { httpConfig } from './config/http.config.js';
import { mediaConfig } from './config/media.config.js';
import { observabilityConfig } from './config/observability.config.js';
import { s3Config } from './config/s3.config.js';
import { serverConfig } from './config/server.config.js';
import { streamConfig } from './config/stream.config.js';
import { validateEnvironment } from './config/validate-environment.js';
import { webConfig } from './config/web.config.js';
import { HealthModule } from './health/health.module.js';
import { MediaModule } from './media/media.module.js';
import { MediaModuleOptions } from './media/media-options.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { PlayerModule } from './player/player.module.js';
import { DeriveModule } from './derive/derive.module.js';
import { SubtitlesModule } from './derive/subtitles/subtitles.module.js';

const configRoot = ConfigModule.forRoot({
  isGlobal: true,
  cache: true,
  load: [httpConfig, webConfig, mediaConfig, streamConfig, s3Config, dataConfig, catalogConfig, observabilityConfig, serverConfig],
  validate: validateEnvironment,
});
// forRoot validates as this file is imported, before Nest awaits the promise.
// Marking the rejection as seen keeps Node from crashing on it with a stack
// trace; Nest still receives it, and main.ts prints its one line.
configRoot.catch(() => undefined);

/** The service as deployed: MediaModule configured from the environment. */
export function mediaOptionsFromEnvironment(
  media: ConfigType<typeof mediaConfig>,
  stream: ConfigType<typeof streamConfig>,
  s3: ConfigType<typeof s3Config>,
): MediaModuleOptions {
  return {
    ...stream,
    extensions: media.extensions,
    storage: media.backend === 's3' && s3.settings !== null ? { kind: 's3', ...s3.settings } : { kind: 'fs', root: media.root },
  };
}

@Module({
  imports: [
    configRoot,
    MediaModule.forRootAsync({
      inject: [mediaConfig.KEY, streamConfig.KEY, s3Config.KEY],
      useFactory: mediaOptionsFromEnvironment,
    }),
    CatalogModule,
    ObservabilityModule,
    HealthModule,
    PlayerModule,
    AccessModule,
    DeliveryModule,
    SubtitlesModule,
    DeriveModule,
  ],
})
export class AppModule {}
