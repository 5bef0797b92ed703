import { RequestTraffic } from './request-traffic.js';

describe('RequestTraffic', () => {
  it('has been quiet forever before any request', () => {
    expect(new RequestTraffic(() => 5).quietForMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('counts from the first look after an arrival', () => {
    let clock = 1_000;
    const traffic = new RequestTraffic(() => clock);
    traffic.arrived();
    expect(traffic.quietForMs()).toBe(0);
    clock += 700;
    expect(traffic.quietForMs()).toBe(700);
    traffic.arrived();
    traffic.arrived();
    clock += 50;
    expect(traffic.quietForMs()).toBe(0);
  });
});
