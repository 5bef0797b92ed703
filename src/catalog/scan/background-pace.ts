import { performance } from 'node:perf_hooks';
import type { TrafficSignal } from '../../common/traffic-signal.js';

/** No request for this long: the service is idle and background probes run at full speed. */
export const QUIET_MS = 500;
/** Under traffic, one background probe at a time, started at most this often. */
export const TRICKLE_MS = 1_000;
/** Under traffic, how soon to look again while a probe still runs. */
const POLL_MS = 250;

/**
 * When the next background probe may start. Each probe forks a process from
 * the service's (an event-loop stall that grows with the heap) and then
 * takes CPU: measured on 100,000 new files, probing at full speed left
 * streaming a quarter of its 4 KiB range req/s. So background probes yield to
 * requests: at full speed only once no request has come for QUIET_MS, else a
 * trickle of one every TRICKLE_MS, so that a busy library is still probed.
 * Probes that a request waits for never wait for this.
 */
export class BackgroundPace {
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly traffic: TrafficSignal | null,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** 0 when a background probe may start now, with `running` probes running; else milliseconds to wait. */
  delayBeforeNext(running: number): number {
    if (this.traffic === null || this.traffic.quietForMs() >= QUIET_MS) return 0;
    if (running > 0) return POLL_MS;
    return Math.max(0, this.lastStart + TRICKLE_MS - this.now());
  }

  started(): void {
    this.lastStart = this.now();
  }
}
