import { jest } from '@jest/globals';
import { ReusedPromise } from './reused-promise.js';

describe('ReusedPromise', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reuses a result for the TTL, then loads again', async () => {
    const reused = new ReusedPromise<number>(1000);
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    expect(await reused.get(load)).toBe(1);
    expect(await reused.get(load)).toBe(1);
    jest.advanceTimersByTime(1000);
    expect(await reused.get(load)).toBe(2);
  });

  it('does not keep a failure', async () => {
    const reused = new ReusedPromise<number>(1000);
    await expect(reused.get(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await reused.get(() => Promise.resolve(5))).toBe(5);
  });

  it('with a TTL of 0 loads every time', async () => {
    const reused = new ReusedPromise<number>(0);
    let loads = 0;
    await reused.get(() => Promise.resolve(++loads));
    await reused.get(() => Promise.resolve(++loads));
    expect(loads).toBe(2);
  });
});
