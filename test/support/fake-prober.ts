import { type MediaMetadata, type MetadataProber, type ProbeResult } from '../../src/derive/media-metadata.js';

/** What the fake answers for one ID: a duration (null: unknown), and whether the item is audio only. */
export interface FakeProbe {
  durationSeconds: number | null;
  audioOnly?: boolean;
  failed?: boolean;
  hasCoverArt?: boolean;
}

/**
 * A MetadataProber that reads nothing and counts its calls, for the catalog's
 * orchestration: which items are probed, how often, and when.
 */
export class FakeProber implements MetadataProber {
  readonly calls: Array<{ id: string; etag: string }> = [];

  constructor(
    private readonly answers: (id: string) => FakeProbe = () => ({ durationSeconds: 1 }),
    private readonly delayMs = 0,
  ) {}

  callsFor(id: string): number {
    return this.calls.filter((call) => call.id === id).length;
  }

  async probe(itemId: string, etag: string): Promise<ProbeResult> {
    this.calls.push({ id: itemId, etag });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const answer = this.answers(itemId);
    const metadata: MediaMetadata = answer.failed
      ? { status: 'failed', durationSeconds: null, bitrate: null, video: null, audio: null }
      : {
          status: 'ready',
          durationSeconds: answer.durationSeconds,
          bitrate: 1000,
          video: answer.audioOnly ? null : { codec: 'h264', width: 320, height: 240, frameRate: 25 },
          audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
        };
    return { etag, metadata, hasCoverArt: answer.hasCoverArt ?? false };
  }
}

/**
 * A prober that runs nothing: for tests that count what storage or programs
 * are asked, so the catalog's background probes do not add to the count.
 */
export const idleProber: MetadataProber = {
  probe: (_itemId: string, etag: string): Promise<ProbeResult> =>
    Promise.resolve({ etag, hasCoverArt: false, metadata: { status: 'unavailable', durationSeconds: null, bitrate: null, video: null, audio: null } }),
};
