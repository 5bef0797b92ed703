import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { MediaStorageHealthIndicator } from './media-storage.health.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly storage: MediaStorageHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOkResponse({ description: '`{"status":"ok", ...}` while the media storage can be read.' })
  @ApiServiceUnavailableResponse({ description: '`{"status":"error", ...}` when it cannot.' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult | object> {
    try {
      return await this.health.check([() => this.storage.check()]);
    } catch (error) {
      // Terminus reports "down" as a 503 exception; its body is the useful
      // report, which the global filter would replace with a fixed message.
      if (error instanceof ServiceUnavailableException) {
        response.status(503);
        const body = error.getResponse();
        return typeof body === 'string' ? { status: 'error' } : body;
      }
      throw error;
    }
  }
}
