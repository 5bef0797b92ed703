import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ShutdownState } from '../observability/shutdown-state.js';

/** Down from the moment shutdown starts, so a load balancer stops sending new work. */
@Injectable()
export class ShutdownHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
  ) {}

  check(): HealthIndicatorResult<'shutdown'> {
    const session = this.indicators.check('shutdown');
    return this.shutdown.shuttingDown ? session.down({ message: 'The service is shutting down.' }) : session.up();
  }
}
