import { Global, Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import bodyParser from 'body-parser';
import { accessConfig } from '../config/access.config.js';
import { AccessService } from './access.service.js';
import { LinksController } from './links/links.controller.js';

/** The largest body `POST .../links` reads: `{"expiresIn": 604800}` is 21 bytes. */
const LINKS_BODY_LIMIT = '1kb';

/**
 * Signed links and API keys. Global, so that the guards on other modules'
 * routes (MediaModule's stream, the player's pages) and the fast path find
 * the one AccessService.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(accessConfig)],
  controllers: [LinksController],
  providers: [AccessService],
  exports: [AccessService],
})
export class AccessModule implements NestModule {
  constructor(@Inject(accessConfig.KEY) private readonly settings: ConfigType<typeof accessConfig>) {}

  // The app reads no bodies (APP_OPTIONS); this route's small JSON one is the
  // exception, and only in signed mode, where the route exists.
  configure(consumer: MiddlewareConsumer): void {
    if (this.settings.mode !== 'signed') return;
    consumer
      .apply(bodyParser.json({ limit: LINKS_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }))
      .forRoutes({ path: 'api/videos/:id/links', method: RequestMethod.POST });
  }
}
