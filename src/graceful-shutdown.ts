import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { flushLogger } from './observability/logging/logger.factory.js';
import { RequestObserver } from './observability/http/request-observer.js';
import { ShutdownState } from './observability/shutdown-state.js';

/**
 * SIGTERM and SIGINT, as the contract has it: readiness answers 503 at once,
 * the listener closes, idle keep-alive connections close (and busy ones close
 * after their response: see RequestObserver), responses in flight get
 * `graceSeconds` to finish, then the rest are cut and the process exits 0.
 */
export function drainOnSignals(app: INestApplication, server: Server, graceSeconds: number, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    // Once only, but the handlers stay: a second signal (the supervisor's
    // forwarded one after the group's own) must not fall back to the default,
    // which would end the process at once.
    if (stopping) return;
    stopping = true;
    app.get(ShutdownState).begin();
    logger.info({ signal, graceSeconds }, 'shutting down: draining connections');
    const cut = setTimeout(() => {
      logger.warn('grace period over: cutting the remaining connections');
      server.closeAllConnections();
    }, graceSeconds * 1000);
    cut.unref();
    // close() stops accepting and, since Node 19, closes idle connections;
    // its callback runs once the last connection has ended.
    server.close(() => {
      clearTimeout(cut);
      void app
        .get(RequestObserver)
        .whenIdle()
        .then(() => app.close())
        .catch((error: unknown) => logger.error({ err: error }, 'shutdown hooks failed'))
        .then(() => logger.info('stopped'))
        .then(() => flushLogger(logger))
        .then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
