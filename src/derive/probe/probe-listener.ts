import type { ProbeResult } from '../media-metadata.js';

/**
 * Told of every probe's result, once per run (coalesced callers share it):
 * the one place to count `media_probe_runs_total{result}` by
 * `result.metadata.status`. Bind one under PROBE_LISTENER.
 */
export interface ProbeListener {
  onProbed(itemId: string, result: ProbeResult): void;
}

export const PROBE_LISTENER = Symbol('PROBE_LISTENER');
