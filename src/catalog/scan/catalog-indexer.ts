import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { TRAFFIC_SIGNAL, type TrafficSignal } from '../../common/traffic-signal.js';
import { catalogConfig } from '../../config/catalog.config.js';
import { METADATA_PROBER, type MetadataProber } from '../../derive/media-metadata.js';
import type { MediaItem } from '../../media/storage/media.repository.js';
import { MEDIA_SCANNER, type MediaScanner, type StorageScan } from '../../media/storage/media-scanner.js';
import { CatalogState } from '../storage/catalog-state.js';
import { BackgroundPace } from './background-pace.js';
import { ProbeQueue } from './probe-queue.js';
import { diff, sameFile, sameItem } from './scan-diff.js';

/** The indexing worker renews its lease this often; another takes over once it is LEASE_TTL_MS old. */
const LEASE_RENEW_MS = 1_000;
const LEASE_TTL_MS = 5_000;
/**
 * While the file system is watched, the periodic rescan is only a safety net
 * for missed events: it then waits at least this many times the last scan's
 * duration, so a library whose walk takes 10 s (100,000 files) is not walked
 * without pause, holding the thread pool that streams need for their reads.
 */
const WATCHED_RESCAN_DUTY = 10;
/** Watch events within this long make one rescan. */
const WATCH_COALESCE_MS = 250;
/** Rows written per transaction; the event loop runs between two. */
const WRITE_BATCH = 1_000;

/**
 * Keeps the catalog in step with storage: one process (the holder of a
 * lease row in the SQLite file, so one of WEB_CONCURRENCY workers) scans at
 * start in the background, on watch events and every CATALOG_RESCAN_SECONDS,
 * writes what changed, and probes pending items. The other workers only read.
 */
@Injectable()
export class CatalogIndexer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Catalog');
  private readonly holder = `${process.pid}-${randomUUID()}`;
  private readonly probes: ProbeQueue | null;
  private leading = false;
  private leaseTimer: NodeJS.Timeout | null = null;
  private rescanTimer: NodeJS.Timeout | null = null;
  private lastScanMs = 0;
  private unwatch: (() => void) | null = null;
  private scanning: Promise<void> | null = null;
  private scanAgain = false;
  private scans = 0;
  private firstScanDone!: () => void;
  private readonly firstScanEnded = new Promise<void>((resolve) => (this.firstScanDone = resolve));

  constructor(
    private readonly state: CatalogState,
    @Inject(MEDIA_SCANNER) private readonly scanner: MediaScanner,
    @Inject(catalogConfig.KEY) private readonly settings: ConfigType<typeof catalogConfig>,
    @Optional() @Inject(METADATA_PROBER) prober: MetadataProber | null = null,
    @Optional() @Inject(TRAFFIC_SIGNAL) traffic: TrafficSignal | null = null,
  ) {
    this.probes =
      prober === null
        ? null
        : new ProbeQueue(prober, (id, result) => this.state.isOpen && this.state.store.writeProbe(id, result), new BackgroundPace(traffic));
  }

  /** Resolves when this process's first scan has ended (at once in a worker that does not index). */
  firstScan(): Promise<void> {
    return this.firstScanEnded;
  }

  get isIndexing(): boolean {
    return this.leading;
  }

  onApplicationBootstrap(): void {
    this.renewLease();
    this.leaseTimer = setInterval(() => this.renewLease(), LEASE_RENEW_MS).unref();
  }

  onApplicationShutdown(): void {
    if (this.leaseTimer !== null) clearInterval(this.leaseTimer);
    this.stopIndexing();
    this.probes?.stop();
    if (this.state.isOpen) this.state.store.releaseLease(this.holder);
  }

  /** In the indexing worker: makes sure `item` (as storage has it now) is in the catalog and probes it first. */
  async probeNow(item: MediaItem): Promise<void> {
    if (!this.leading || this.probes === null) return;
    const known = this.state.index.get(item.id);
    if (known === undefined || !sameItem(known.item, item)) {
      this.state.store.write([item], [], [], []);
      this.state.refresh();
    }
    await this.probes.urgent(item.id, item.etag);
  }

  private renewLease(): void {
    if (!this.state.isOpen) return;
    let holds: boolean;
    try {
      holds = this.state.store.lease(this.holder, LEASE_TTL_MS);
    } catch {
      // SQLITE_BUSY beyond busy_timeout: try again on the next tick.
      return;
    }
    if (holds && !this.leading) {
      this.leading = true;
      this.unwatch = this.scanner.watch?.(() => this.rescanSoon(WATCH_COALESCE_MS)) ?? null;
      this.rescanSoon(0);
    } else if (!holds && this.leading) {
      this.stopIndexing();
    }
    if (!this.leading && this.scans === 0) this.firstScanDone();
  }

  private stopIndexing(): void {
    this.leading = false;
    this.unwatch?.();
    this.unwatch = null;
    if (this.rescanTimer !== null) clearTimeout(this.rescanTimer);
    this.rescanTimer = null;
  }

  private rescanSoon(delayMs: number): void {
    if (!this.leading) return;
    if (this.scanning !== null) {
      this.scanAgain = true;
      return;
    }
    if (this.rescanTimer !== null) clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => void this.scan(), delayMs);
    this.rescanTimer.unref();
  }

  private async scan(): Promise<void> {
    this.rescanTimer = null;
    const first = this.scans === 0;
    this.scans++;
    let partial: Promise<void> = Promise.resolve();
    // Until the first scan ends, what it has found so far is listed already.
    const onProgress = first ? (batch: StorageScan) => void (partial = partial.then(() => this.write(batch, false))) : undefined;
    const run = (async () => {
      try {
        const started = Date.now();
        const found = await this.scanner.scan(onProgress);
        await partial;
        await this.write(found, true);
        this.lastScanMs = Date.now() - started;
        if (first) this.logger.log(`First scan: ${found.items.length} items, ${found.sidecars.length} sidecar files in ${Date.now() - started} ms`);
        this.queuePending(first);
      } catch (error) {
        this.logger.warn(`Scan of storage failed; the next one is in ${this.settings.rescanSeconds} s: ${String(error)}`);
      }
    })();
    this.scanning = run;
    await run;
    this.scanning = null;
    if (first) this.firstScanDone();
    const again = this.scanAgain;
    this.scanAgain = false;
    this.rescanSoon(again ? 0 : this.nextRescanMs());
  }

  private nextRescanMs(): number {
    const period = this.settings.rescanSeconds * 1000;
    return this.unwatch === null ? period : Math.max(period, WATCHED_RESCAN_DUTY * this.lastScanMs);
  }

  private async write(found: StorageScan, complete: boolean): Promise<void> {
    const index = this.state.index;
    const items = diff(found.items, (id) => index.get(id)?.item, [...index.all()].map((entry) => entry.item.id), sameItem, complete);
    const sidecars = diff(found.sidecars, (id) => index.sidecar(id), [...index.sidecarIds()], sameFile, complete);
    const longest = Math.max(items.upserts.length, items.removals.length, sidecars.upserts.length, sidecars.removals.length);
    for (let at = 0; at < longest; at += WRITE_BATCH) {
      if (!this.leading || !this.state.isOpen) return;
      const batch = <T>(list: T[]): T[] => list.slice(at, at + WRITE_BATCH);
      this.state.store.write(batch(items.upserts), batch(items.removals), batch(sidecars.upserts), batch(sidecars.removals));
      this.state.refresh();
      await yieldToLoop();
    }
  }

  /** Items without a probe of their current bytes go to the prober; after a restart, also those probed while none could be found. */
  private queuePending(retryUnavailable: boolean): void {
    if (this.probes === null) return;
    for (const entry of this.state.index.all()) {
      const status = entry.probe?.metadata.status;
      if (status === undefined || (retryUnavailable && status === 'unavailable')) this.probes.add(entry.item.id, entry.item.etag);
    }
  }
}
