import { ApiProperty } from '@nestjs/swagger';
import { LINK_TTL_MAX_SECONDS } from '../../config/access.config.js';

// Classes only for the OpenAPI document.

export class LinksRequestDto {
  @ApiProperty({ required: false, minimum: 1, maximum: LINK_TTL_MAX_SECONDS, example: 3600, description: 'Seconds; default LINK_TTL_SECONDS' })
  expiresIn?: number;
}

export class SignedLinksDto {
  @ApiProperty({ example: '/api/videos/clip.mp4/stream?expires=1796000000&signature=...' })
  streamUrl!: string;
  @ApiProperty({ example: '/watch/clip.mp4?expires=1796000000&signature=...' })
  watchUrl!: string;
  @ApiProperty({ example: '/embed/clip.mp4?expires=1796000000&signature=...' })
  embedUrl!: string;
  @ApiProperty({ example: '/api/videos/clip.mp4/poster?expires=1796000000&signature=...' })
  posterUrl!: string;
  @ApiProperty({ example: '2026-12-01T12:00:00.000Z', format: 'date-time' })
  expiresAt!: string;
}
