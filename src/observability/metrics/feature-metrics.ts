import { Inject, Injectable, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { CatalogService } from '../../catalog/catalog.service.js';
import type { MetadataStatus, ProbeResult } from '../../derive/media-metadata.js';
import type { ProbeListener } from '../../derive/probe/probe-listener.js';
import { MediaMetrics, type ProbeRunResult } from './media-metrics.js';

const PROBE_RESULTS: Record<MetadataStatus, ProbeRunResult> = { ready: 'ok', failed: 'failed', unavailable: 'unavailable', pending: 'failed' };

/** Counts media_probe_runs_total{result}: bound as the prober's PROBE_LISTENER. */
@Injectable()
export class ProbeRunsMetric implements ProbeListener {
  constructor(private readonly metrics: MediaMetrics) {}

  onProbed(_itemId: string, result: ProbeResult): void {
    this.metrics.probeRun(PROBE_RESULTS[result.metadata.status]);
  }
}

/** Points media_catalog_items at the catalog, when the app has one. */
@Injectable()
export class CatalogItemsMetric implements OnApplicationBootstrap {
  constructor(
    private readonly metrics: MediaMetrics,
    @Optional() @Inject(CatalogService) private readonly catalog: CatalogService | null = null,
  ) {}

  onApplicationBootstrap(): void {
    const catalog = this.catalog;
    if (catalog !== null) this.metrics.countCatalogItemsWith(() => catalog.count());
  }
}
