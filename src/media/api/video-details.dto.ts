import { ApiProperty } from '@nestjs/swagger';
import type { AudioStreamInfo, MediaMetadata, MetadataStatus, VideoStreamInfo } from '../../derive/media-metadata.js';
import type { SubtitleView } from './video.presenter.js';

// Classes only for the OpenAPI document: the controller returns plain views.

export class VideoStreamDto implements VideoStreamInfo {
  @ApiProperty({ example: 'vp9', description: 'Codec as ffprobe names it' })
  codec!: string;
  @ApiProperty({ example: 1920 })
  width!: number;
  @ApiProperty({ example: 1080 })
  height!: number;
  @ApiProperty({ example: 24, nullable: true, type: Number, description: 'Frames per second, rounded to 3 decimals' })
  frameRate!: number | null;
}

export class AudioStreamDto implements AudioStreamInfo {
  @ApiProperty({ example: 'opus' })
  codec!: string;
  @ApiProperty({ example: 2 })
  channels!: number;
  @ApiProperty({ example: 48000 })
  sampleRate!: number;
}

export class MediaMetadataDto implements MediaMetadata {
  @ApiProperty({
    enum: ['pending', 'ready', 'failed', 'unavailable'],
    example: 'ready',
    description: 'pending: not probed yet; failed: not readable as media (the other fields are null); unavailable: no ffprobe',
  })
  status!: MetadataStatus;
  @ApiProperty({ example: 596.48, nullable: true, type: Number })
  durationSeconds!: number | null;
  @ApiProperty({ example: 1410385, nullable: true, type: Number, description: 'Bits per second' })
  bitrate!: number | null;
  @ApiProperty({ type: VideoStreamDto, nullable: true, description: 'The first video stream, or null' })
  video!: VideoStreamDto | null;
  @ApiProperty({ type: AudioStreamDto, nullable: true, description: 'The first audio stream, or null' })
  audio!: AudioStreamDto | null;
}

export class SubtitleDto implements SubtitleView {
  @ApiProperty({ example: 'en', description: 'The BCP 47 tag of the sidecar file, or default' })
  track!: string;
  @ApiProperty({ example: 'en', nullable: true, type: String })
  language!: string | null;
  @ApiProperty({ example: 'English', description: "The language's English name, the tag when unknown, Subtitles for default" })
  label!: string;
  @ApiProperty({ example: '/api/videos/trailers%2Fbig%20buck%20bunny.webm/subtitles/en', description: 'WebVTT' })
  url!: string;
}
