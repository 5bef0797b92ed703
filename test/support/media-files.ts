import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real video made by ffmpeg: `seconds` of a 320x240 test pattern,
 * uncompressed (rawvideo in Matroska) so that a few seconds are megabytes,
 * more than socket buffers hold, as an aborted download needs.
 */
export async function makeRawVideo(file: string, seconds: number): Promise<void> {
  const ffmpeg = process.env.FFMPEG_PATH ?? 'ffmpeg';
  await run(ffmpeg, ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=25:duration=${seconds}`, '-c:v', 'rawvideo', '-pix_fmt', 'yuv420p', file]);
}
