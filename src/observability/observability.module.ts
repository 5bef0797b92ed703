import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { observabilityConfig } from '../config/observability.config.js';
import { TRAFFIC_SIGNAL } from '../common/traffic-signal.js';
import { RequestObserver } from './http/request-observer.js';
import { RequestTraffic } from './http/request-traffic.js';
import { createLogger } from './logging/logger.factory.js';
import { PINO_LOGGER } from './logging/pino-logger.token.js';
import { PROBE_LISTENER } from '../derive/probe/probe-listener.js';
import { CatalogItemsMetric, ProbeRunsMetric } from './metrics/feature-metrics.js';
import { MediaMetrics } from './metrics/media-metrics.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { ShutdownState } from './shutdown-state.js';

/**
 * Access logs, request IDs, metrics and the shutdown flag. Global, so that
 * the catalog and the prober can inject MediaMetrics and the health checks
 * ShutdownState without importing this module. Its settings
 * (observabilityConfig, serverConfig) are loaded by the app's ConfigModule.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: PINO_LOGGER,
      inject: [observabilityConfig.KEY],
      useFactory: (settings: ConfigType<typeof observabilityConfig>): Logger => createLogger(settings),
    },
    MediaMetrics,
    ShutdownState,
    RequestObserver,
    { provide: RequestTraffic, useFactory: () => new RequestTraffic() },
    { provide: TRAFFIC_SIGNAL, useExisting: RequestTraffic },
    ProbeRunsMetric,
    { provide: PROBE_LISTENER, useExisting: ProbeRunsMetric },
    CatalogItemsMetric,
  ],
  exports: [PINO_LOGGER, MediaMetrics, ShutdownState, RequestObserver, PROBE_LISTENER, TRAFFIC_SIGNAL],
})
export class ObservabilityModule {}
