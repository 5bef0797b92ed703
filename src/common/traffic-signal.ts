/**
 * How long the service has gone without a new request: what background work
 * (the catalog's probes) asks before it takes CPU from requests. Bind one
 * under TRAFFIC_SIGNAL; without one, background work runs at full speed.
 */
export interface TrafficSignal {
  /** Milliseconds since the last request arrived, as far as the signal can tell. */
  quietForMs(): number;
}

export const TRAFFIC_SIGNAL = Symbol('TRAFFIC_SIGNAL');
