import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { observabilityConfig } from '../../config/observability.config.js';
import { inClusterWorker, shareWithPrimary } from './cluster-metrics.js';

/** Outcomes of one ffprobe run, for media_probe_runs_total{result}. */
export type ProbeRunResult = 'ok' | 'failed' | 'unavailable';

/** A label set's children, looked up once per (method, route, status) instead of hashed per request. */
interface RequestSeries {
  count: Counter.Internal;
  duration: Histogram.Internal<string>;
}

/**
 * The service's Prometheus metrics, in a registry of their own (one per app,
 * so that several apps in one process, as in the tests, do not collide).
 *
 * Other features report through two calls only:
 * - `setCatalogItems(n)`: the catalog, after each scan, with the items it lists;
 * - `probeRun(result)`: the prober, once per run, `ok`, `failed` or `unavailable`.
 * The HTTP metrics are fed by RequestObserver; nothing else needs to call in.
 */
@Injectable()
export class MediaMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<string>;
  private readonly durations: Histogram<string>;
  private readonly streamBytes: Counter;
  private readonly streamsActive: Gauge;
  private readonly streamsAborted: Counter;
  private readonly catalogItems: Gauge;
  private readonly probeRuns: Counter<string>;
  private readonly series = new Map<string, RequestSeries>();
  private catalogCount: (() => number) | null = null;

  constructor(@Inject(observabilityConfig.KEY) settings: ConfigType<typeof observabilityConfig>) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'media_http_requests_total',
      help: 'HTTP requests answered (or aborted), by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.durations = new Histogram({
      name: 'media_http_request_duration_seconds',
      help: 'Time from the request to the end of its response, by method and route template.',
      labelNames: ['method', 'route'],
      // Up to minutes: a whole-file download is one request.
      buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10, 60, 300],
      registers,
    });
    this.streamBytes = new Counter({ name: 'media_stream_bytes_sent_total', help: 'Body bytes written by the stream route.', registers });
    // Summed over workers by the cluster aggregator, as a count of streams must be.
    this.streamsActive = new Gauge({ name: 'media_streams_active', help: 'Stream route responses in flight.', registers, aggregator: 'sum' });
    this.streamsAborted = new Counter({ name: 'media_stream_aborted_total', help: 'Stream route responses cut before their end.', registers });
    this.catalogItems = new Gauge({
      name: 'media_catalog_items',
      help: 'Items the catalog lists.',
      registers,
      aggregator: 'max',
      // Read at scrape time: the count is one property of the catalog's index,
      // cheaper than keeping a gauge in step with every scan and watch event.
      collect: () => {
        if (this.catalogCount !== null) this.catalogItems.set(this.catalogCount());
      },
    });
    this.probeRuns = new Counter({ name: 'media_probe_runs_total', help: 'Metadata probe runs, by result.', labelNames: ['result'], registers });
    if (settings.metricsEnabled) {
      collectDefaultMetrics({ register: this.registry });
    }
    if (inClusterWorker()) shareWithPrimary(this.registry);
  }

  /** The number of items the catalog lists now. */
  setCatalogItems(count: number): void {
    this.catalogItems.set(count);
  }

  /** Reads media_catalog_items from `count` at every scrape. */
  countCatalogItemsWith(count: () => number): void {
    this.catalogCount = count;
  }

  /** One finished probe run. */
  probeRun(result: ProbeRunResult): void {
    this.probeRuns.inc({ result });
  }

  streamStarted(): void {
    this.streamsActive.inc();
  }

  streamStopped(): void {
    this.streamsActive.dec();
  }

  streamDone(bytes: number, aborted: boolean): void {
    this.streamBytes.inc(bytes);
    if (aborted) this.streamsAborted.inc();
  }

  requestDone(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = { count: this.requests.labels(method, route, String(status)), duration: this.durations.labels(method, route) };
      this.series.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
  }
}
