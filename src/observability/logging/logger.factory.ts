import { pino, type Logger } from 'pino';
import type { ObservabilitySettings } from '../../config/observability.config.js';

/**
 * The one pino logger of a process: access lines and Nest's own logs.
 *
 * JSON goes to stdout through sonic-boom in asynchronous mode: writes are
 * batched and never block the event loop on a slow pipe (a log shipper that
 * falls behind); flushLogger() drains it before the process exits. `pretty`
 * runs pino-pretty in pino's worker-thread transport, for a terminal only.
 */
export function createLogger(settings: Pick<ObservabilitySettings, 'logLevel' | 'logFormat'>): Logger {
  const options = { level: settings.logLevel };
  if (settings.logLevel === 'silent') {
    return pino(options);
  }
  if (settings.logFormat === 'pretty') {
    return pino(options, pino.transport({ target: 'pino-pretty', options: { colorize: true, destination: 1 } }));
  }
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

/** Resolves once every line written so far has left (or could not leave) the process. */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    try {
      logger.flush(() => resolve());
    } catch {
      resolve();
    }
  });
}
