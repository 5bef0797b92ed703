import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../common/api-error.js';
import { observabilityConfig } from '../../config/observability.config.js';
import { clusterMetrics, inClusterWorker } from './cluster-metrics.js';
import { MediaMetrics } from './media-metrics.js';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly tokenDigest: Buffer | null;

  constructor(
    private readonly metrics: MediaMetrics,
    @Inject(observabilityConfig.KEY) private readonly settings: ConfigType<typeof observabilityConfig>,
  ) {
    this.tokenDigest = settings.metricsToken === null ? null : digest(settings.metricsToken);
  }

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (text format); with WEB_CONCURRENCY > 1, the sum of every worker.' })
  @ApiHeader({ name: 'Authorization', required: false, description: '`Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set' })
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4.' })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request has no matching Bearer token.' })
  @ApiNotFoundResponse({ description: 'METRICS_ENABLED=false.' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    if (!this.settings.metricsEnabled) {
      throw new ApiError(404, 'Nothing is served at this address.');
    }
    if (this.tokenDigest !== null && !this.authorized(authorization)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new ApiError(401, 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.');
    }
    const text = inClusterWorker() ? await clusterMetrics() : await this.metrics.registry.metrics();
    response.status(200).set({ 'Content-Type': this.metrics.registry.contentType, 'Cache-Control': 'no-store' }).send(text);
  }

  private authorized(authorization: string | undefined): boolean {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    // Digests of equal length, so the comparison takes the same time whatever was sent.
    return match !== null && this.tokenDigest !== null && timingSafeEqual(digest(match[1]), this.tokenDigest);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
