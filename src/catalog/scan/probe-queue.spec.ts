import { jest } from '@jest/globals';
import type { MetadataProber, ProbeResult } from '../../derive/media-metadata.js';
import { PENDING_METADATA } from '../../derive/media-metadata.js';
import { BackgroundPace, QUIET_MS, TRICKLE_MS } from './background-pace.js';
import { ProbeQueue } from './probe-queue.js';

/** A prober whose runs end when the test says so. */
class HeldProber implements MetadataProber {
  readonly asked: string[] = [];
  private readonly pending: (() => void)[] = [];

  probe(itemId: string, etag: string): Promise<ProbeResult> {
    this.asked.push(itemId);
    return new Promise((resolve) => this.pending.push(() => resolve({ etag, metadata: PENDING_METADATA, hasCoverArt: false })));
  }

  finishAll(): void {
    for (const finish of this.pending.splice(0)) finish();
  }
}

describe('ProbeQueue pacing', () => {
  let quiet = 0;
  const traffic = { quietForMs: () => quiet };
  beforeEach(() => {
    jest.useFakeTimers();
    quiet = 0;
  });
  afterEach(() => jest.useRealTimers());

  const flush = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  function queueOf(prober: HeldProber): { queue: ProbeQueue; stored: string[] } {
    const stored: string[] = [];
    const pace = new BackgroundPace(traffic, () => Date.now());
    return { queue: new ProbeQueue(prober, (id) => stored.push(id), pace), stored };
  }

  it('probes several at once while the service is quiet', () => {
    quiet = QUIET_MS;
    const prober = new HeldProber();
    const { queue } = queueOf(prober);
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) queue.add(id, 'e1');
    expect(prober.asked).toEqual(['a', 'b', 'c', 'd']);
    queue.stop();
  });

  it('under traffic runs one background probe at a time, one per TRICKLE_MS, and still gets through', async () => {
    const prober = new HeldProber();
    const { queue, stored } = queueOf(prober);
    for (const id of ['a', 'b', 'c']) queue.add(id, 'e1');
    expect(prober.asked).toEqual(['a']);
    prober.finishAll();
    await flush();
    expect(stored).toEqual(['a']);
    expect(prober.asked).toEqual(['a']);
    jest.advanceTimersByTime(TRICKLE_MS);
    await flush();
    expect(prober.asked).toEqual(['a', 'b']);
    prober.finishAll();
    await flush();
    jest.advanceTimersByTime(TRICKLE_MS);
    await flush();
    expect(prober.asked).toEqual(['a', 'b', 'c']);
    queue.stop();
  });

  it('never makes an item a request waits for wait', async () => {
    const prober = new HeldProber();
    const { queue, stored } = queueOf(prober);
    queue.add('a', 'e1');
    queue.add('b', 'e1');
    const waited = queue.urgent('b', 'e1');
    expect(prober.asked).toEqual(['a', 'b']);
    prober.finishAll();
    await waited;
    expect(stored).toContain('b');
    queue.stop();
  });

  it('goes back to full speed when requests stop', async () => {
    const prober = new HeldProber();
    const { queue } = queueOf(prober);
    for (const id of ['a', 'b', 'c', 'd', 'e']) queue.add(id, 'e1');
    expect(prober.asked).toHaveLength(1);
    quiet = QUIET_MS;
    jest.advanceTimersByTime(TRICKLE_MS);
    await flush();
    expect(prober.asked).toEqual(['a', 'b', 'c', 'd']);
    queue.stop();
  });
});
