import cluster, { type Worker } from 'node:cluster';

/** A worker that dies sooner than this after its start counts as a crash loop. */
const QUICK_DEATH_MS = 5_000;
const MAX_QUICK_DEATHS = 5;

/**
 * Runs `workers` copies of the service with Node's cluster module, sharing
 * the port. A worker that dies is replaced (a worker that keeps dying at
 * start stops the whole service instead of restarting forever); SIGTERM and
 * SIGINT are passed on so each worker shuts down gracefully.
 */
export function runPrimary(workers: number, log: (line: string) => void): void {
  let stopping = false;
  let quickDeaths = 0;
  const startedAt = new Map<Worker, number>();

  const fork = (): void => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) process.exit(0);
      return;
    }
    if (lived < QUICK_DEATH_MS) {
      // A worker that cannot start (a bad setting, a busy port) would only die again.
      quickDeaths++;
      if (quickDeaths >= MAX_QUICK_DEATHS) {
        log(`Workers keep failing at start; stopping (last: ${signal ?? `exit code ${code}`}).`);
        process.exit(1);
      }
    } else {
      quickDeaths = 0;
    }
    log(`Worker ${worker.process.pid} ended (${signal ?? `code ${code}`}); starting another.`);
    fork();
  });

  const stop = (): void => {
    // Once: the group may get the signal too, and a repeat must not kill anyone.
    if (stopping) return;
    stopping = true;
    for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
    if (startedAt.size === 0) process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  for (let i = 0; i < workers; i++) fork();
}

export const isPrimary = (): boolean => cluster.isPrimary;
