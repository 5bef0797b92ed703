import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** Debian's ffmpeg (CI installs it); the tests make their media with it. */
export const FFMPEG = '/usr/bin/ffmpeg';
export const FFPROBE = '/usr/bin/ffprobe';

function run(program: string, args: string[]): Buffer {
  // stdin closed and every lavfi source given a duration: nothing can wait for input.
  const result = spawnSync(program, ['-v', 'error', ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${result.stderr?.toString() ?? result.error?.message}`);
  return result.stdout;
}

async function ffmpeg(file: string, args: string[]): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  run(FFMPEG, ['-nostdin', '-y', ...args, file]);
  return file;
}

const tone = (seconds: number, rate = 44100): string[] => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=${seconds}`];
const pattern = (seconds: number, size = '320x240'): string[] => ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25:duration=${seconds}`];

/** 2 s of 320x240 h264 at 25 fps with 44.1 kHz mono aac. */
export const makeMp4 = (file: string): Promise<string> =>
  ffmpeg(file, [...pattern(2), ...tone(2), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest']);

/** 2 s of 320x240 vp9 with 48 kHz opus. */
export const makeWebm = (file: string): Promise<string> =>
  ffmpeg(file, [...pattern(2), ...tone(2, 48000), '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-c:a', 'libopus', '-shortest']);

/** 2 s of mp3 with a 64x64 red PNG as its attached picture (cover art). */
export async function makeMp3WithArt(file: string): Promise<string> {
  const cover = `${file}.cover.png`;
  await ffmpeg(cover, ['-f', 'lavfi', '-i', 'color=c=red:size=64x64:duration=1', '-frames:v', '1']);
  return ffmpeg(file, [...tone(2), '-i', cover, '-map', '0:a', '-map', '1:v', '-c:a', 'libmp3lame', '-c:v', 'png', '-disposition:v', 'attached_pic', '-id3v2_version', '3']);
}

/** 2 s of aac audio, no picture. */
export const makeAudioOnly = (file: string): Promise<string> => ffmpeg(file, [...tone(2), '-c:a', 'aac']);

/** 1 s of black, then 4 s of a test pattern, 640x360 h264. */
export const makeBlackStartVideo = (file: string): Promise<string> =>
  ffmpeg(file, [
    '-f', 'lavfi', '-i', 'color=c=black:size=640x360:rate=25:duration=1',
    ...pattern(4, '640x360'),
    '-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0', '-c:v', 'libx264', '-pix_fmt', 'yuv420p',
  ]);

/** An image file made by ffmpeg (the extension picks the format). */
export const makeImage = (file: string, color: string, size: string): Promise<string> =>
  ffmpeg(file, ['-f', 'lavfi', '-i', `color=c=${color}:size=${size}:duration=1`, '-frames:v', '1']);

/** Width and height of an image or video, read by ffprobe from its bytes. */
export function dimensionsOf(bytes: Buffer): { width: number; height: number; codec: string } {
  const result = spawnSync(FFPROBE, ['-v', 'error', '-show_streams', '-of', 'json', '-i', 'pipe:0'], { input: bytes, timeout: 60_000 });
  const stream = (JSON.parse(result.stdout.toString()) as { streams: { width: number; height: number; codec_name: string }[] }).streams[0];
  return { width: stream.width, height: stream.height, codec: stream.codec_name };
}

/** The mean brightness (0-255) of an image: ffmpeg scales it to one gray pixel. */
export function brightnessOf(bytes: Buffer): number {
  const result = spawnSync(FFMPEG, ['-v', 'error', '-i', 'pipe:0', '-vf', 'scale=1:1,format=gray', '-f', 'rawvideo', 'pipe:1'], { input: bytes, timeout: 60_000 });
  return result.stdout[0];
}
