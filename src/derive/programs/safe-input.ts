import type { ProgramInput } from '../../media/storage/program-input.js';

/**
 * Demuxers that read one self-contained input and open nothing else: the
 * containers of the media extensions. Left out on purpose: hls, dash, concat
 * (ffconcat) and image2 (sequences), which open further files or URLs named
 * inside the input, and every other demuxer an input could be probed as.
 * `mov` names the whole mov,mp4,m4a,3gp,3g2,mj2 family; its external data
 * references stay off (enable_drefs defaults to 0).
 */
export const MEDIA_DEMUXERS = 'mov,matroska,avi,mpeg,mpegts,mp3,aac,ogg,wav,flac';

/** Single-image demuxers for sidecar posters, chosen by us from the extension (no probing). */
const IMAGE_DEMUXERS: Readonly<Record<string, string>> = { jpg: 'jpeg_pipe', jpeg: 'jpeg_pipe', png: 'png_pipe', webp: 'webp_pipe' };

/** Where the child finds its input: its own fd 3 (see ProgramRun.inputFd) or a URL. */
export interface InputArguments {
  args: string[];
  inputFd?: number;
}

/**
 * The input options of an ffprobe/ffmpeg command line for one item. The
 * protocol whitelist allows only what reaches the item's own bytes (`file`
 * for the /dev/fd/3 name of the checked descriptor; http(s) only for a
 * presigned URL), the format whitelist only MEDIA_DEMUXERS, and the input
 * name starts with `file:` or `http`, so it is never an option or another
 * protocol's URL.
 */
export function mediaInputArguments(input: ProgramInput): InputArguments {
  const formats = ['-format_whitelist', MEDIA_DEMUXERS];
  if (input.kind === 'fd') {
    return { args: ['-protocol_whitelist', 'file', ...formats, '-i', 'file:/dev/fd/3'], inputFd: input.fd };
  }
  if (!/^https?:\/\//.test(input.url)) throw new Error('A program input URL must be http or https');
  return { args: ['-protocol_whitelist', 'http,https,tcp,tls', ...formats, '-i', input.url] };
}

/** The input options for a sidecar image fed on stdin; null for an extension that is no image. */
export function imageInputArguments(extension: string): string[] | null {
  const demuxer = IMAGE_DEMUXERS[extension.toLowerCase()];
  if (demuxer === undefined) return null;
  return ['-protocol_whitelist', 'pipe', '-format_whitelist', demuxer, '-f', demuxer, '-i', 'pipe:0'];
}
