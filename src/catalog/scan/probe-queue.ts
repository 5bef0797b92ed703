import type { MetadataProber, ProbeResult } from '../../derive/media-metadata.js';
import type { BackgroundPace } from './background-pace.js';

/**
 * Probes sent to the prober at once. The prober queues itself (at most
 * PROBE_CONCURRENCY processes); this only keeps 100,000 pending items from
 * becoming 100,000 promises inside it, and lets an urgent item overtake.
 */
const IN_FLIGHT = 4;

/**
 * Feeds pending items to the prober in the background, one probe per item
 * and ETag, at the pace `pace` sets, and hands each result to `store`. An
 * item that a request waits for goes first, at once.
 */
export class ProbeQueue {
  private readonly waiting = new Map<string, string>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly prober: MetadataProber,
    private readonly store: (id: string, result: ProbeResult) => void,
    private readonly pace: BackgroundPace | null = null,
  ) {}

  add(id: string, etag: string): void {
    if (this.stopped || this.running.has(key(id, etag))) return;
    this.waiting.set(id, etag);
    this.pump();
  }

  /** Probes the item before the others; resolves when its result is stored (or the probe failed). */
  urgent(id: string, etag: string): Promise<void> {
    const running = this.running.get(key(id, etag));
    if (running !== undefined) return running;
    this.waiting.delete(id);
    return this.start(id, etag);
  }

  stop(): void {
    this.stopped = true;
    this.waiting.clear();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    // A pump is already due: it will look again then.
    if (this.timer !== null) return;
    while (!this.stopped && this.running.size < IN_FLIGHT && this.waiting.size > 0) {
      const delay = this.pace?.delayBeforeNext(this.running.size) ?? 0;
      if (delay > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, delay).unref();
        return;
      }
      const [id, etag] = this.waiting.entries().next().value as [string, string];
      this.waiting.delete(id);
      this.pace?.started();
      void this.start(id, etag);
    }
  }

  private start(id: string, etag: string): Promise<void> {
    const runKey = key(id, etag);
    const run = this.prober
      .probe(id, etag)
      .then((result) => {
        if (!this.stopped) this.store(id, result);
      })
      // The prober never rejects for a bad file; anything else is retried
      // by the next scan, which finds the item still pending.
      .catch(() => undefined)
      .finally(() => {
        this.running.delete(runKey);
        this.pump();
      });
    this.running.set(runKey, run);
    return run;
  }
}

function key(id: string, etag: string): string {
  return `${etag} ${id}`;
}
