import type { MediaItem } from '../../media/storage/media.repository.js';
import { MEDIA_DEMUXERS, imageInputArguments, mediaInputArguments } from './safe-input.js';

const item = { id: 'a.mp4' } as MediaItem;
const close = () => Promise.resolve();

describe('program input arguments', () => {
  it('names the checked descriptor as file:/dev/fd/3 with only the file protocol', () => {
    expect(mediaInputArguments({ kind: 'fd', fd: 42, item, close })).toEqual({
      args: ['-protocol_whitelist', 'file', '-format_whitelist', MEDIA_DEMUXERS, '-i', 'file:/dev/fd/3'],
      inputFd: 42,
    });
  });

  it('allows the network only for a presigned http(s) URL, and refuses any other scheme', () => {
    const url = 'https://bucket.s3.amazonaws.com/a.mp4?X-Amz-Signature=x';
    expect(mediaInputArguments({ kind: 'url', url, item, close }).args).toEqual([
      '-protocol_whitelist', 'http,https,tcp,tls', '-format_whitelist', MEDIA_DEMUXERS, '-i', url,
    ]);
    for (const bad of ['file:/etc/passwd', '-i', 'concat:a|b', 'data:,x']) {
      expect(() => mediaInputArguments({ kind: 'url', url: bad, item, close })).toThrow();
    }
  });

  it('never whitelists a demuxer that opens further inputs', () => {
    const allowed = MEDIA_DEMUXERS.split(',');
    for (const opener of ['hls', 'applehttp', 'dash', 'concat', 'image2', 'image2pipe', 'tee', 'mpjpeg', 'ffmetadata', 'sdp', 'rtsp']) {
      expect(allowed).not.toContain(opener);
    }
  });

  it('reads sidecar images from stdin with a demuxer chosen by extension', () => {
    expect(imageInputArguments('JPG')).toEqual(['-protocol_whitelist', 'pipe', '-format_whitelist', 'jpeg_pipe', '-f', 'jpeg_pipe', '-i', 'pipe:0']);
    expect(imageInputArguments('webp')?.slice(-3)).toEqual(['webp_pipe', '-i', 'pipe:0']);
    expect(imageInputArguments('gif')).toBeNull();
  });
});
