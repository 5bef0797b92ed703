import cluster from 'node:cluster';
import { pino, type Logger } from 'pino';
import { LineBatchDestination } from './line-batch.destination.js';
import type { ObservabilitySettings } from '../../config/observability.config.js';

/**
 * Lines are written in batches of at least this many characters (about 100
 * access lines), or every FLUSH_MS: under load one write(2) and thread-pool
 * round trip per ~100 requests, where each round trip also wakes a pool
 * thread on the same core, rather than up to one per request.
 */
const BATCH_CHARS = 32 * 1024;
/** sonic-boom's own cap on one write, above a batch and its longest line. */
const MAX_WRITE = 256 * 1024;
/**
 * A cluster's primary and workers share one stdout: writes of at most this many
 * bytes (Linux's PIPE_BUF) reach a pipe whole, so their lines never
 * interleave, at the price of a write per ~13 lines.
 */
const PIPE_BUF = 4096;
/** The longest a line waits in the batch (a crash's exit handler still writes it). */
const FLUSH_MS = 100;

/**
 * The one pino logger of a process: access lines and Nest's own logs.
 *
 * JSON goes to stdout through sonic-boom in asynchronous mode: writes are
 * batched and never block the event loop on a slow pipe (a log shipper that
 * falls behind); flushLogger() drains it before the process exits. `pretty`
 * runs pino-pretty in pino's worker-thread transport, for a terminal only.
 */
export function createLogger(
  settings: Pick<ObservabilitySettings, 'logLevel' | 'logFormat'>,
  // A worker, or the primary that supervises them: one stdout for all.
  sharedStdout = cluster.isWorker,
): Logger {
  const options = { level: settings.logLevel };
  if (settings.logLevel === 'silent') {
    return pino(options);
  }
  if (settings.logFormat === 'pretty') {
    return pino(options, pino.transport({ target: 'pino-pretty', options: { colorize: true, destination: 1 } }));
  }
  // The batching is done before sonic-boom (see LineBatchDestination), which
  // then writes each batch as it comes, merging batches only up to maxWrite.
  const sink = pino.destination({ dest: 1, sync: false, minLength: 0, maxWrite: sharedStdout ? PIPE_BUF : MAX_WRITE });
  const batch = sharedStdout ? { size: PIPE_BUF, exact: true } : { size: BATCH_CHARS, exact: false };
  return pino(options, new LineBatchDestination(sink, batch, FLUSH_MS));
}

/** A flush that has not called back by then is given up, so shutdown always ends. */
const FLUSH_WAIT_MS = 2_000;

/**
 * Resolves once every line written so far has left (or could not leave) the
 * process, or after FLUSH_WAIT_MS: pino's worker-thread transport (pretty)
 * may never call back once its thread is busy or gone.
 */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, FLUSH_WAIT_MS);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    try {
      logger.flush(done);
    } catch {
      done();
    }
  });
}
