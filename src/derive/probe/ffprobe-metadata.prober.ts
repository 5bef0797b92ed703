import type { MediaMetadata, MetadataProber, ProbeResult } from '../media-metadata.js';
import type { ProgramInputSource } from '../../media/storage/program-input.js';
import type { ProgramRunner } from '../programs/program-runner.js';
import { mediaInputArguments } from '../programs/safe-input.js';
import { type ProbeDetails, parseFfprobeOutput } from './ffprobe-output.js';
import type { ProbeListener } from './probe-listener.js';

/** ffprobe's JSON for an ordinary file is a few KiB; tags could make it larger, not this large. */
const PROBE_OUTPUT_MAX_BYTES = 4 * 1024 * 1024;
/** Results kept in memory (the catalog persists them; this spares posters a second run). */
const KEPT_RESULTS = 1000;

/** A probe's answer: details when it is media, else why not. */
export type ProbeAnswer = ProbeDetails | { metadata: MediaMetadata & { status: 'failed' | 'unavailable' } };

export interface ProbeOutcome {
  /** The ETag of the bytes that were probed. */
  etag: string;
  answer: ProbeAnswer;
}

const nothing = (status: 'failed' | 'unavailable'): ProbeAnswer => ({
  metadata: { status, durationSeconds: null, bitrate: null, video: null, audio: null },
});

export const hasDetails = (answer: ProbeAnswer): answer is ProbeDetails => answer.metadata.status === 'ready';

/**
 * MetadataProber on ffprobe, through the runner (queue, timeout, bounds)
 * and the storage layer's checked input. One run per item and ETag: callers
 * that ask while it runs, or later, share its answer.
 */
export class FfprobeMetadataProber implements MetadataProber {
  private readonly runs = new Map<string, Promise<ProbeOutcome>>();

  constructor(
    private readonly runner: ProgramRunner,
    private readonly inputs: ProgramInputSource | null,
    private readonly listener: ProbeListener | null = null,
  ) {}

  async probe(itemId: string, etag: string): Promise<ProbeResult> {
    return this.resultOf(await this.details(itemId, etag));
  }

  /** The probe with the stream indexes posters need; shared with probe(). */
  details(itemId: string, etag: string): Promise<ProbeOutcome> {
    const key = `${etag}\n${itemId}`;
    const known = this.runs.get(key);
    if (known !== undefined) return known;
    const run = this.runOnce(itemId, etag).then((outcome) => {
      // Bytes that changed before they were opened are another version: not kept under this one.
      if (outcome.etag !== etag) this.runs.delete(key);
      this.listener?.onProbed(itemId, this.resultOf(outcome));
      return outcome;
    });
    // A storage outage is no answer about the file: the next caller tries again.
    run.catch(() => this.runs.delete(key));
    this.runs.set(key, run);
    if (this.runs.size > KEPT_RESULTS) this.runs.delete(this.runs.keys().next().value as string);
    return run;
  }

  private resultOf(outcome: ProbeOutcome): ProbeResult {
    const answer = outcome.answer;
    return { etag: outcome.etag, metadata: answer.metadata, hasCoverArt: hasDetails(answer) && answer.hasCoverArt };
  }

  private async runOnce(itemId: string, etag: string): Promise<ProbeOutcome> {
    if (this.inputs === null || !this.runner.available('ffprobe')) return { etag, answer: nothing('unavailable') };
    const input = await this.inputs.openForProgram(itemId);
    if (input === null) return { etag, answer: nothing('failed') };
    try {
      const { args, inputFd } = mediaInputArguments(input);
      const result = await this.runner.run({
        program: 'ffprobe',
        purpose: 'probe',
        args: ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', ...args],
        inputFd,
        maxStdoutBytes: PROBE_OUTPUT_MAX_BYTES,
      });
      if (result.outcome === 'unavailable') return { etag: input.item.etag, answer: nothing('unavailable') };
      if (result.outcome !== 'exited' || result.exitCode !== 0) return { etag: input.item.etag, answer: nothing('failed') };
      return { etag: input.item.etag, answer: parseFfprobeOutput(parseJson(result.stdout)) ?? nothing('failed') };
    } finally {
      await input.close();
    }
  }
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
