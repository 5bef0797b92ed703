import { parseFfprobeOutput } from './ffprobe-output.js';

const off = { default: 0, attached_pic: 0 };

describe('parseFfprobeOutput', () => {
  it('reads an mp4 with h264 and aac', () => {
    const details = parseFfprobeOutput({
      streams: [
        { index: 0, codec_name: 'h264', codec_type: 'video', width: 1920, height: 1080, avg_frame_rate: '30000/1001', r_frame_rate: '30000/1001', disposition: off },
        { index: 1, codec_name: 'aac', codec_type: 'audio', channels: 2, sample_rate: '48000', avg_frame_rate: '0/0', disposition: off },
      ],
      format: { duration: '596.480000', bit_rate: '1410385', format_name: 'mov,mp4,m4a,3gp,3g2,mj2' },
    });
    expect(details).toEqual({
      metadata: {
        status: 'ready',
        durationSeconds: 596.48,
        bitrate: 1410385,
        video: { codec: 'h264', width: 1920, height: 1080, frameRate: 29.97 },
        audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
      },
      hasCoverArt: false,
      videoStreamIndex: 0,
      coverArtStreamIndex: null,
    });
  });

  it('takes the cover art of an mp3 as art, not as its video', () => {
    const details = parseFfprobeOutput({
      streams: [
        { index: 0, codec_name: 'mp3', codec_type: 'audio', channels: 1, sample_rate: '44100', avg_frame_rate: '0/0', disposition: off },
        { index: 1, codec_name: 'png', codec_type: 'video', width: 64, height: 64, avg_frame_rate: '0/0', r_frame_rate: '90000/1', disposition: { attached_pic: 1 } },
      ],
      format: { duration: '2.037551', bit_rate: '65725' },
    });
    expect(details?.metadata.video).toBeNull();
    expect(details?.metadata.audio).toEqual({ codec: 'mp3', channels: 1, sampleRate: 44100 });
    expect(details?.hasCoverArt).toBe(true);
    expect(details?.coverArtStreamIndex).toBe(1);
    expect(details?.videoStreamIndex).toBeNull();
  });

  it('falls back to r_frame_rate, rounds to 3 decimals, and keeps the first stream of a kind', () => {
    const details = parseFfprobeOutput({
      streams: [
        { index: 0, codec_type: 'audio', codec_name: 'opus', channels: 2, sample_rate: '48000' },
        { index: 1, codec_type: 'video', codec_name: 'vp9', width: 320, height: 240, avg_frame_rate: '0/0', r_frame_rate: '24000/1001' },
        { index: 2, codec_type: 'video', codec_name: 'h264', width: 64, height: 64, avg_frame_rate: '25/1' },
        { index: 3, codec_type: 'audio', codec_name: 'aac', channels: 6, sample_rate: '44100' },
      ],
      format: {},
    });
    expect(details?.metadata).toEqual({
      status: 'ready',
      durationSeconds: null,
      bitrate: null,
      video: { codec: 'vp9', width: 320, height: 240, frameRate: 23.976 },
      audio: { codec: 'opus', channels: 2, sampleRate: 48000 },
    });
    expect(details?.videoStreamIndex).toBe(1);
  });

  it('answers null when nothing in it is media', () => {
    expect(parseFfprobeOutput({})).toBeNull();
    expect(parseFfprobeOutput({ streams: [], format: { duration: '1' } })).toBeNull();
    expect(parseFfprobeOutput({ streams: [{ codec_type: 'data', index: 0 }] })).toBeNull();
    expect(parseFfprobeOutput(null)).toBeNull();
    expect(parseFfprobeOutput([1, 2])).toBeNull();
  });

  it('reads junk numbers as null, never NaN', () => {
    const details = parseFfprobeOutput({
      streams: [{ index: 0, codec_type: 'video', codec_name: 'h264', width: 2, height: 2, avg_frame_rate: 'N/A', r_frame_rate: 'x' }],
      format: { duration: 'N/A', bit_rate: '-5' },
    });
    expect(details?.metadata.durationSeconds).toBeNull();
    expect(details?.metadata.bitrate).toBeNull();
    expect(details?.metadata.video?.frameRate).toBeNull();
  });
});
