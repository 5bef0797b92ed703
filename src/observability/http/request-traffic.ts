import { performance } from 'node:perf_hooks';
import type { TrafficSignal } from '../../common/traffic-signal.js';

/**
 * Request arrivals, counted by the RequestObserver. A request costs one
 * increment; the clock is read only when background work asks, so the time
 * of an arrival is known to within one of its polls, erring on "recent".
 * Provided by a factory (its clock is a parameter, for tests).
 */
export class RequestTraffic implements TrafficSignal {
  private arrivals = 0;
  private seenArrivals = 0;
  private lastArrivalAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = () => performance.now()) {}

  arrived(): void {
    this.arrivals++;
  }

  quietForMs(): number {
    const now = this.now();
    if (this.arrivals !== this.seenArrivals) {
      this.seenArrivals = this.arrivals;
      this.lastArrivalAt = now;
    }
    return now - this.lastArrivalAt;
  }
}
