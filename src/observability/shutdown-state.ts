import { Injectable } from '@nestjs/common';

/**
 * Whether the process has begun to shut down: from that moment readiness
 * answers 503 and responses ask their connection to close.
 */
@Injectable()
export class ShutdownState {
  private started = false;

  get shuttingDown(): boolean {
    return this.started;
  }

  begin(): void {
    this.started = true;
  }
}
