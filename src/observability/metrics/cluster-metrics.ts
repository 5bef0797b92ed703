import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const REQUEST = 'media:metrics-request';
const REPLY = 'media:metrics-reply';
/** Above prom-client's own 5 s wait for the workers' answers. */
const REPLY_TIMEOUT_MS = 6_000;

interface MetricsMessage {
  type?: unknown;
  id?: unknown;
  text?: unknown;
  error?: unknown;
}

/**
 * In the primary: answers a worker's request for every worker's metrics,
 * summed by prom-client's AggregatorRegistry over cluster IPC. The primary
 * serves no HTTP itself, so the worker that got the scrape asks for it here.
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: MetricsMessage) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: REPLY, id: message.id, text }),
      (error: Error) => worker.send({ type: REPLY, id: message.id, error: error.message }),
    );
  });
}

let registered: Registry | null = null;
let nextId = 0;

/** In a worker: the registry the primary's aggregator reads (prom-client answers its requests). */
export function shareWithPrimary(registry: Registry): void {
  if (registered === registry) return;
  registered = registry;
  // Constructing one adds prom-client's worker-side IPC listener.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

export const inClusterWorker = (): boolean => cluster.isWorker && typeof process.send === 'function';

/** In a worker: the Prometheus text of all workers together. */
export function clusterMetrics(): Promise<string> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const onMessage = (message: MetricsMessage): void => {
      if (message?.type !== REPLY || message.id !== id) return;
      settle();
      if (typeof message.text === 'string') resolve(message.text);
      else reject(new Error(`cluster metrics failed: ${String(message.error)}`));
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error('cluster metrics timed out'));
    }, REPLY_TIMEOUT_MS);
    const settle = (): void => {
      clearTimeout(timer);
      process.off('message', onMessage);
    };
    process.on('message', onMessage);
    process.send?.({ type: REQUEST, id });
  });
}
