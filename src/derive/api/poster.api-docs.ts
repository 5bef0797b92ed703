import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ApiErrorDto } from '../../media/api/video.dto.js';
import { POSTER_MAX_WIDTH, POSTER_WIDTHS } from '../posters/poster-width.js';

const DESCRIPTION = `A poster image of the item, the first of:
1. a sidecar image beside the item with its base name and .jpg, .jpeg, .png or .webp (clip.mp4 -> clip.jpg), served as that file with its own type;
2. cover art embedded in the item (audio files often have it), as JPEG;
3. a representative frame of the video (looked for about 10 % in, picked by ffmpeg's thumbnail filter so it is not a black or blank frame), as JPEG at most ${POSTER_MAX_WIDTH} pixels wide.

- width (one of ${POSTER_WIDTHS.join(', ')}) scales the image to that width, aspect ratio kept, as JPEG; any other width answers 400.
- Generated images are made once (kept in DATA_DIR) and concurrent requests share one ffmpeg run.
- A strong ETag (it changes when the item or the sidecar changes), Last-Modified and Cache-Control as the media bytes; If-None-Match / If-Modified-Since -> 304, If-Match / If-Unmodified-Since -> 412. HEAD answers the same headers without a body.
- No poster (audio without cover art, a file that is not media, no ffmpeg for a frame) -> 404.
- In signed mode (ACCESS_MODE=signed) the URL must carry expires and signature, as the stream URL does; the listing gives signed URLs.`;

const conditionalHeaders = ['If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Unmodified-Since'].map((name) => ApiHeader({ name, required: false }));

export const ApiPoster = (): MethodDecorator =>
  applyDecorators(
    ApiOperation({ summary: 'A poster image of the item', description: DESCRIPTION }),
    ApiParam({ name: 'id', description: 'The media ID, percent-encoded as one path segment (encodeURIComponent)', example: 'sample.mp4' }),
    ApiQuery({ name: 'width', required: false, description: 'Scale to this width (aspect kept), as JPEG', schema: { type: 'integer', enum: [...POSTER_WIDTHS] } }),
    ApiQuery({ name: 'expires', required: false, description: 'Signed mode: Unix time in seconds when the link expires', schema: { type: 'integer' } }),
    ApiQuery({ name: 'signature', required: false, description: 'Signed mode: the link signature (base64url HMAC-SHA256)', schema: { type: 'string' } }),
    ...conditionalHeaders,
    ApiProduces('image/jpeg', 'image/png', 'image/webp'),
    ApiResponse({ status: 200, description: 'The image (JPEG when generated or scaled; a sidecar without width as its own type)', schema: { type: 'string', format: 'binary' } }),
    ApiResponse({ status: 304, description: 'Not modified (If-None-Match / If-Modified-Since)' }),
    ApiBadRequestResponse({ type: ApiErrorDto, description: 'A malformed ID or a width other than those listed' }),
    ApiForbiddenResponse({ type: ApiErrorDto, description: 'Signed mode: a missing, wrong or expired signature' }),
    ApiNotFoundResponse({ type: ApiErrorDto, description: 'No servable media has this ID, or the item has no poster' }),
    ApiResponse({ status: 412, type: ApiErrorDto, description: 'If-Match or If-Unmodified-Since failed' }),
  );
