import type { MediaItem } from '../../media/storage/media.repository.js';
import type { ProgramInput, ProgramInputSource } from '../../media/storage/program-input.js';
import type { ProbeResult } from '../media-metadata.js';
import type { ProgramResult, ProgramRun, ProgramRunner } from '../programs/program-runner.js';
import { FfprobeMetadataProber } from './ffprobe-metadata.prober.js';

const item = (etag: string): MediaItem => ({ id: 'a.mp4', name: 'a.mp4', size: 1, modifiedAt: new Date(0), etag, mimeType: 'video/mp4' });

const OUTPUT = JSON.stringify({
  streams: [{ index: 0, codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '48000' }],
  format: { duration: '1.5', bit_rate: '1000' },
});

class FakeRunner implements ProgramRunner {
  readonly runs: ProgramRun[] = [];
  release: () => void = () => undefined;
  constructor(
    private readonly result: Partial<ProgramResult>,
    private readonly has = true,
  ) {}
  available(): boolean {
    return this.has;
  }
  run(run: ProgramRun): Promise<ProgramResult> {
    this.runs.push(run);
    return new Promise((resolve) => {
      this.release = () => resolve({ outcome: 'exited', exitCode: 0, stdout: Buffer.from(OUTPUT), stderr: Buffer.alloc(0), ...this.result });
    });
  }
}

class FakeInputs implements ProgramInputSource {
  closed = 0;
  constructor(private readonly etag: string | null) {}
  async openForProgram(): Promise<ProgramInput | null> {
    if (this.etag === null) return null;
    return { kind: 'fd', fd: 99, item: item(this.etag), close: async () => void (this.closed += 1) };
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('FfprobeMetadataProber', () => {
  it('runs ffprobe once per item and ETag, on the descriptor with the whitelists, and tells the listener once', async () => {
    const runner = new FakeRunner({});
    const inputs = new FakeInputs('"v1"');
    const seen: ProbeResult[] = [];
    const prober = new FfprobeMetadataProber(runner, inputs, { onProbed: (_id, result) => seen.push(result) });
    const both = Promise.all([prober.probe('a.mp4', '"v1"'), prober.probe('a.mp4', '"v1"')]);
    await settle();
    runner.release();
    const [first, second] = await both;
    expect(first).toEqual(second);
    expect(first).toEqual({
      etag: '"v1"',
      hasCoverArt: false,
      metadata: { status: 'ready', durationSeconds: 1.5, bitrate: 1000, video: null, audio: { codec: 'aac', channels: 2, sampleRate: 48000 } },
    });
    expect(await prober.probe('a.mp4', '"v1"')).toEqual(first);
    expect(runner.runs).toHaveLength(1);
    expect(runner.runs[0].inputFd).toBe(99);
    expect(runner.runs[0].args).toEqual(expect.arrayContaining(['-protocol_whitelist', 'file', '-format_whitelist', '-i', 'file:/dev/fd/3']));
    expect(inputs.closed).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('answers failed for a non-zero exit, a timeout, bad JSON or a missing item', async () => {
    for (const result of [{ exitCode: 1 }, { outcome: 'timeout' as const, exitCode: null }, { stdout: Buffer.from('{nope') }, { outcome: 'output-limit' as const }]) {
      const runner = new FakeRunner(result);
      const prober = new FfprobeMetadataProber(runner, new FakeInputs('"v1"'));
      const probe = prober.probe('a.mp4', '"v1"');
      await settle();
      runner.release();
      expect((await probe).metadata.status).toBe('failed');
    }
    const gone = await new FfprobeMetadataProber(new FakeRunner({}), new FakeInputs(null)).probe('a.mp4', '"v1"');
    expect(gone).toEqual({ etag: '"v1"', hasCoverArt: false, metadata: { status: 'failed', durationSeconds: null, bitrate: null, video: null, audio: null } });
  });

  it('answers unavailable without ffprobe, and gives the ETag of the bytes it read', async () => {
    const none = await new FfprobeMetadataProber(new FakeRunner({}, false), new FakeInputs('"v1"')).probe('a.mp4', '"v1"');
    expect(none.metadata.status).toBe('unavailable');
    const runner = new FakeRunner({});
    const probe = new FfprobeMetadataProber(runner, new FakeInputs('"v2"')).probe('a.mp4', '"v1"');
    await settle();
    runner.release();
    expect((await probe).etag).toBe('"v2"');
  });
});
