import { BackgroundPace, QUIET_MS, TRICKLE_MS } from './background-pace.js';

class FakeTraffic {
  quiet = 0;
  quietForMs(): number {
    return this.quiet;
  }
}

describe('BackgroundPace', () => {
  let clock = 0;
  const now = (): number => clock;
  beforeEach(() => (clock = 10_000));

  it('never holds probes back without a traffic signal', () => {
    const pace = new BackgroundPace(null, now);
    pace.started();
    expect(pace.delayBeforeNext(3)).toBe(0);
  });

  it('runs at full speed once no request has come for QUIET_MS', () => {
    const traffic = new FakeTraffic();
    traffic.quiet = QUIET_MS;
    const pace = new BackgroundPace(traffic, now);
    pace.started();
    expect(pace.delayBeforeNext(3)).toBe(0);
  });

  it('under traffic waits while a probe runs', () => {
    const traffic = new FakeTraffic();
    traffic.quiet = QUIET_MS - 1;
    const pace = new BackgroundPace(traffic, now);
    expect(pace.delayBeforeNext(1)).toBeGreaterThan(0);
  });

  it('under traffic trickles: one start per TRICKLE_MS', () => {
    const traffic = new FakeTraffic();
    const pace = new BackgroundPace(traffic, now);
    expect(pace.delayBeforeNext(0)).toBe(0);
    pace.started();
    clock += 300;
    expect(pace.delayBeforeNext(0)).toBe(TRICKLE_MS - 300);
    clock += TRICKLE_MS - 300;
    expect(pace.delayBeforeNext(0)).toBe(0);
  });
});
