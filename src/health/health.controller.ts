import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { MediaStorageHealthIndicator } from './media-storage.health.js';
import { ShutdownHealthIndicator } from './shutdown.health.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly storage: MediaStorageHealthIndicator,
    private readonly shutdown: ShutdownHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOkResponse({ description: '`{"status":"ok", ...}` while the media storage can be read.' })
  @ApiServiceUnavailableResponse({ description: '`{"status":"error", ...}` when it cannot.' })
  check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult | object> {
    return this.report(response, [() => this.storage.check()]);
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs (a Kubernetes livenessProbe).' })
  @ApiOkResponse({ description: '`{"status":"ok"}`' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 200 while storage can be read and the service is not shutting down (a readinessProbe).' })
  @ApiOkResponse({ description: '`{"status":"ok", "info": {"shutdown": ..., "media": ...}}`' })
  @ApiServiceUnavailableResponse({ description: '`{"status":"error", ...}` from the moment shutdown starts, or when storage cannot be read.' })
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult | object> {
    // Shutdown first: a draining service need not ask storage.
    return this.report(response, [() => this.shutdown.check(), () => this.storage.check()]);
  }

  private async report(response: Response, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult | object> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      // Terminus reports "down" as a 503 exception; its body is the useful
      // report, which the global filter would replace with a fixed message.
      if (error instanceof ServiceUnavailableException) {
        response.status(503);
        response.setHeader('Cache-Control', 'no-store');
        const body = error.getResponse();
        return typeof body === 'string' ? { status: 'error' } : body;
      }
      throw error;
    }
  }
}
