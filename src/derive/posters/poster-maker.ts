import type { Readable } from 'node:stream';
import type { ProgramInput } from '../../media/storage/program-input.js';
import type { ProgramRunner } from '../programs/program-runner.js';
import { imageInputArguments, mediaInputArguments } from '../programs/safe-input.js';
import { POSTER_MAX_WIDTH } from './poster-width.js';

/** A 1280-wide JPEG is a few hundred KiB; this bound only stops a runaway child. */
const POSTER_MAX_BYTES = 16 * 1024 * 1024;
/** Frames the thumbnail filter compares to pick a representative one (not a black or blank frame). */
const THUMBNAIL_FRAMES = 50;
/** Where a frame is looked for: about 10 % in, past intros and fades from black. */
const SEEK_FRACTION = 0.1;

/** What a generated poster is made from: a frame of the video stream, or the embedded cover art. */
export type PosterOrigin =
  | { kind: 'frame'; streamIndex: number; durationSeconds: number | null }
  | { kind: 'art'; streamIndex: number };

/** `width` (aspect kept, even height) or at most POSTER_MAX_WIDTH when null. */
function scaleFilter(width: number | null): string {
  // Inside a filter graph a comma separates filters, so min()'s is escaped.
  return width === null ? `scale=w=min(${POSTER_MAX_WIDTH}\\,iw):h=-2` : `scale=w=${width}:h=-2`;
}

const JPEG_OUTPUT = ['-frames:v', '1', '-an', '-sn', '-dn', '-q:v', '3', '-f', 'mjpeg', 'pipe:1'];

/** JPEG posters made by ffmpeg through the runner; null when ffmpeg fails or is missing. */
export class PosterMaker {
  constructor(private readonly runner: ProgramRunner) {}

  get available(): boolean {
    return this.runner.available('ffmpeg');
  }

  /** A frame or the cover art of the item opened in `input`. */
  async fromMedia(input: ProgramInput, origin: PosterOrigin, width: number | null): Promise<Buffer | null> {
    const { args, inputFd } = mediaInputArguments(input);
    const seconds = origin.kind === 'frame' && origin.durationSeconds !== null ? origin.durationSeconds * SEEK_FRACTION : 0;
    const filters = origin.kind === 'frame' ? `thumbnail=${THUMBNAIL_FRAMES},${scaleFilter(width)}` : scaleFilter(width);
    // -ss before the input: a fast seek on the (seekable) input, not a decode from the start.
    const seek = seconds > 0 ? ['-ss', seconds.toFixed(3)] : [];
    return this.make([...seek, ...args, '-map', `0:${origin.streamIndex}`, '-vf', filters, ...JPEG_OUTPUT], inputFd);
  }

  /** A sidecar image (its bytes on stdin) scaled to `width`, as JPEG. */
  async fromImage(bytes: Readable, extension: string, width: number): Promise<Buffer | null> {
    const input = imageInputArguments(extension);
    if (input === null) return null;
    return this.make([...input, '-vf', scaleFilter(width), ...JPEG_OUTPUT], undefined, bytes);
  }

  private async make(args: string[], inputFd?: number, stdin?: Readable): Promise<Buffer | null> {
    const result = await this.runner.run({
      program: 'ffmpeg',
      purpose: 'poster',
      // -nostdin: no keyboard interaction, unless stdin carries the input.
      args: ['-v', 'error', ...(stdin === undefined ? ['-nostdin'] : []), ...args],
      inputFd,
      stdin,
      maxStdoutBytes: POSTER_MAX_BYTES,
    });
    const ok = result.outcome === 'exited' && result.exitCode === 0 && result.stdout.length > 0;
    return ok ? result.stdout : null;
  }
}
