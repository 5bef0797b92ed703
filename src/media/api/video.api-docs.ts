import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
} from '@nestjs/swagger';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, LIST_ORDERS, LIST_SORTS, LIST_TYPES } from './list-query.js';
import { ApiErrorDto, VideoDto, VideoPageDto } from './video.dto.js';

const STREAM_DESCRIPTION = `Serves a media file by ID with HTTP byte ranges and conditional requests (RFC 9110 sections 13 and 14). The ID is one path segment encoded with encodeURIComponent; the listing gives ready-made streamUrl values.

- No Range: 200 with the whole file. Every 200 and 206 carries Accept-Ranges: bytes, Content-Type, Content-Length, a strong ETag, Last-Modified and Cache-Control.
- One satisfiable range (bytes=a-b, bytes=a-, bytes=-n): 206 with Content-Range: bytes first-last/size. An end past the file is clipped; a suffix longer than the file is the whole file.
- Several ranges: 206 multipart/byteranges; overlapping or adjacent ranges are merged, and a set that merges to one range gets a single-part 206. More than 100 ranges: the header is ignored (200).
- No satisfiable range: 416 with Content-Range: bytes */size. A Range header that is not a valid bytes range set is ignored (200).
- Preconditions in RFC 9110 13.2.2 order: If-Match, else If-Unmodified-Since (412); then If-None-Match, else If-Modified-Since (304). If-Range with the current strong ETag or exact Last-Modified keeps the range, anything else gets 200.
- HEAD answers the same headers without a body. ?download=1 adds Content-Disposition: attachment.`;

const ID_PARAM = ApiParam({
  name: 'id',
  description: 'The media ID, percent-encoded as one path segment (encodeURIComponent)',
  example: 'sample.mp4',
});

export const ApiListVideos = (): MethodDecorator =>
  applyDecorators(
    ApiOperation({
      summary: 'List the library from the catalog',
      description:
        'Answered from the catalog, never by walking storage: a change in storage shows within CATALOG_RESCAN_SECONDS (sooner where the OS reports it). Sorted by ID (UTF-16 code unit order) unless sort says otherwise; other sorts break ties by ID; duration puts unknown durations last in both orders.',
    }),
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_DEFAULT } }),
    ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, default: 0 } }),
    ApiQuery({ name: 'q', required: false, description: 'Case-insensitive substring of the ID', schema: { type: 'string' } }),
    ApiQuery({ name: 'type', required: false, description: "The mimeType's top-level type", schema: { type: 'string', enum: [...LIST_TYPES] } }),
    ApiQuery({ name: 'sort', required: false, schema: { type: 'string', enum: [...LIST_SORTS], default: 'id' } }),
    ApiQuery({ name: 'order', required: false, schema: { type: 'string', enum: [...LIST_ORDERS], default: 'asc' } }),
    ApiOkResponse({ type: VideoPageDto }),
    ApiBadRequestResponse({ type: ApiErrorDto, description: 'A bad query value' }),
  );

export const ApiGetVideo = (): MethodDecorator =>
  applyDecorators(
    ApiOperation({ summary: "One item's metadata", description: 'Found in storage (a new file before it is listed); waits up to 10 s for a pending probe.' }),
    ID_PARAM,
    ApiOkResponse({ type: VideoDto }),
    ApiBadRequestResponse({ type: ApiErrorDto, description: 'A malformed ID' }),
    ApiNotFoundResponse({ type: ApiErrorDto, description: 'No servable media has this ID' }),
  );

const conditionalHeaders = ['Range', 'If-Range', 'If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Unmodified-Since'].map(
  (name) => ApiHeader({ name, required: false }),
);

export const ApiStreamVideo = (): MethodDecorator =>
  applyDecorators(
    ApiOperation({ summary: "The item's bytes, with byte ranges and conditional requests", description: STREAM_DESCRIPTION }),
    ID_PARAM,
    ApiQuery({ name: 'download', required: false, description: '1 adds Content-Disposition: attachment', schema: { type: 'string', enum: ['0', '1'] } }),
    ...conditionalHeaders,
    ApiProduces('video/*', 'audio/*', 'multipart/byteranges', 'application/octet-stream'),
    ApiResponse({ status: 200, description: 'The whole file' }),
    ApiResponse({ status: 206, description: 'One range (Content-Range) or several (multipart/byteranges)' }),
    ApiResponse({ status: 304, description: 'Not modified (If-None-Match / If-Modified-Since)' }),
    ApiBadRequestResponse({ type: ApiErrorDto, description: 'A malformed ID or download value' }),
    ApiNotFoundResponse({ type: ApiErrorDto, description: 'No servable media has this ID' }),
    ApiResponse({ status: 412, type: ApiErrorDto, description: 'If-Match or If-Unmodified-Since failed' }),
    ApiResponse({ status: 416, type: ApiErrorDto, description: 'No range overlaps the file; Content-Range: bytes */size' }),
  );
