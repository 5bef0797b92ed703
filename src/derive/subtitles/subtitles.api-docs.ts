import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ApiErrorDto } from '../../media/api/video.dto.js';
import { SUBTITLE_MAX_BYTES } from './subtitles.service.js';

const DESCRIPTION = `A subtitle track of the item, from a sidecar file beside it (clip.vtt, clip.srt, clip.<tag>.vtt, clip.<tag>.srt), always as text/vtt; charset=utf-8.

- WebVTT files are served as they are (bytes unchanged, a byte-order mark included).
- SubRip files are converted: a WEBVTT header, "," -> "." in cue timings only, CRLF and CR -> LF, a UTF-8 byte-order mark dropped, a file that is not valid UTF-8 read as Windows-1252, cue numbers kept as identifiers, position coordinates dropped.
- When clip.<tag>.vtt and clip.<tag>.srt both exist, the WebVTT file is the track.
- A strong ETag (it changes with the sidecar file), Last-Modified and Cache-Control as the media bytes; If-None-Match / If-Modified-Since -> 304, If-Match / If-Unmodified-Since -> 412. HEAD answers the same headers, Content-Length included, without a body. No byte ranges.
- A file larger than ${SUBTITLE_MAX_BYTES} bytes is not served (404).
- In signed mode (ACCESS_MODE=signed) the URL must carry expires and signature, as the stream URL does; the listing gives signed URLs.`;

const conditionalHeaders = ['If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Unmodified-Since'].map((name) => ApiHeader({ name, required: false }));

export const ApiSubtitleTrack = (): MethodDecorator =>
  applyDecorators(
    ApiOperation({ summary: 'A subtitle track of the item, as WebVTT', description: DESCRIPTION }),
    ApiParam({ name: 'id', description: 'The media ID, percent-encoded as one path segment (encodeURIComponent)', example: 'sample.mp4' }),
    ApiParam({
      name: 'track',
      description: 'The track as the item lists it: a BCP 47 tag from the file name (en, pt-BR; case-insensitive), or default for clip.vtt / clip.srt',
      example: 'en',
    }),
    ApiQuery({ name: 'expires', required: false, description: 'Signed mode: Unix time in seconds when the link expires', schema: { type: 'integer' } }),
    ApiQuery({ name: 'signature', required: false, description: 'Signed mode: the link signature (base64url HMAC-SHA256)', schema: { type: 'string' } }),
    ...conditionalHeaders,
    ApiProduces('text/vtt'),
    ApiResponse({ status: 200, description: 'The track as WebVTT (text/vtt; charset=utf-8)', schema: { type: 'string' } }),
    ApiResponse({ status: 304, description: 'Not modified (If-None-Match / If-Modified-Since)' }),
    ApiBadRequestResponse({ type: ApiErrorDto, description: 'A malformed ID or track' }),
    ApiForbiddenResponse({ type: ApiErrorDto, description: 'Signed mode: a missing, wrong or expired signature' }),
    ApiNotFoundResponse({ type: ApiErrorDto, description: 'No servable media has this ID, it has no such track, or the track file is too large' }),
    ApiResponse({ status: 412, type: ApiErrorDto, description: 'If-Match or If-Unmodified-Since failed' }),
  );
