import { ApiProperty } from '@nestjs/swagger';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from './list-query.js';
import { MediaMetadataDto, SubtitleDto } from './video-details.dto.js';
import { VideoView } from './video.presenter.js';

// Classes only for the OpenAPI document: the controller returns plain views.

export class VideoDto implements VideoView {
  @ApiProperty({ example: 'trailers/big buck bunny.webm', description: 'Path below MEDIA_ROOT with / between folders' })
  id!: string;
  @ApiProperty({ example: 'big buck bunny.webm' })
  name!: string;
  @ApiProperty({ example: 10485760, description: 'Bytes' })
  size!: number;
  @ApiProperty({ example: 'video/webm' })
  mimeType!: string;
  @ApiProperty({ example: '2026-11-25T10:00:00.000Z', format: 'date-time' })
  modifiedAt!: string;
  @ApiProperty({ example: '"a00000-19ab3c4d5e6"', description: 'Strong entity tag, quotes included' })
  etag!: string;
  @ApiProperty({ example: '/api/videos/trailers%2Fbig%20buck%20bunny.webm/stream' })
  streamUrl!: string;
  @ApiProperty({ example: '/watch/trailers%2Fbig%20buck%20bunny.webm' })
  watchUrl!: string;
  @ApiProperty({ example: '/embed/trailers%2Fbig%20buck%20bunny.webm', description: 'A bare player page for an iframe' })
  embedUrl!: string;
  @ApiProperty({
    example: '/api/videos/trailers%2Fbig%20buck%20bunny.webm/poster',
    nullable: true,
    type: String,
    description: 'Null once metadata is ready or failed and the item has no sidecar image, cover art or video stream',
  })
  posterUrl!: string | null;
  @ApiProperty({ type: [SubtitleDto], description: 'Sidecar text tracks, sorted by track' })
  subtitles!: SubtitleDto[];
  @ApiProperty({ type: MediaMetadataDto })
  metadata!: MediaMetadataDto;
}

export class VideoPageDto {
  @ApiProperty({ type: [VideoDto] })
  items!: VideoDto[];
  @ApiProperty({ example: 12, description: 'Items matching q and type, before limit and offset' })
  total!: number;
  @ApiProperty({ example: LIST_LIMIT_DEFAULT, minimum: 1, maximum: LIST_LIMIT_MAX })
  limit!: number;
  @ApiProperty({ example: 0, minimum: 0 })
  offset!: number;
}

export class ApiErrorDto {
  @ApiProperty({ example: 404 })
  statusCode!: number;
  @ApiProperty({ example: 'Not Found' })
  error!: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'No media has this ID.',
    description: 'A string, or an array of strings for validation errors',
  })
  message!: string | string[];
}
