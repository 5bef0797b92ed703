import { All, Controller, Get, Head, Inject, Optional, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { AccessService } from '../../access/access.service.js';
import { ApiKeyProtected, SignedItem } from '../../access/http/access.decorators.js';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError } from '../../common/api-error.js';
import { parseListQuery } from './list-query.js';
import { MediaIdPipe } from './media-id.pipe.js';
import { MediaLibraryService, MediaPage } from './media-library.service.js';
import { MEDIA_OPTIONS, type MediaOptions } from '../media-options.js';
import { RangeStreamService } from '../streaming/range-stream.service.js';
import { STREAM_REDIRECT, type StreamRedirect } from '../streaming/stream-redirect.js';
import { rejectionOf, toStreamRequest } from './stream-request.js';
import { STREAM_PATH, VIDEOS_PATH } from './video.routes.js';
import { ApiGetVideo, ApiListVideos, ApiStreamVideo } from './video.api-docs.js';
import { VideoView, presentVideo } from './video.presenter.js';

export interface VideoPageView extends Omit<MediaPage, 'items'> {
  items: VideoView[];
}

/** The JSON API and the byte stream of the library. HTTP only: no storage here. */
@ApiTags('videos')
@Controller(VIDEOS_PATH)
export class VideoController {
  constructor(
    private readonly library: MediaLibraryService,
    private readonly streams: RangeStreamService,
    @Inject(MEDIA_OPTIONS) private readonly options: MediaOptions,
    // Both absent in an app that imports MediaModule alone: public, proxied.
    @Optional() @Inject(AccessService) private readonly access: AccessService | null = null,
    @Optional() @Inject(STREAM_REDIRECT) private readonly redirect: StreamRedirect | null = null,
  ) {}

  @Get()
  @ApiKeyProtected()
  @ApiListVideos()
  async list(@Query() raw: Record<string, unknown>): Promise<VideoPageView> {
    const parsed = parseListQuery(raw);
    if (!parsed.ok) {
      throw new ApiError(400, parsed.errors);
    }
    const page = await this.library.list(parsed.query);
    return { ...page, items: page.items.map(presentVideo) };
  }

  @Get(':id')
  @ApiKeyProtected()
  @ApiGetVideo()
  async get(@Param('id', MediaIdPipe) id: string): Promise<VideoView> {
    const item = await this.library.describe(id);
    if (item === null) {
      throw new ApiError(404, 'No media has this ID.');
    }
    return presentVideo(item);
  }

  // HEAD is declared before GET: Express lets a GET route answer HEAD too.
  // Note: in the app that main.ts starts, StreamFastPath answers GET and HEAD
  // of these URLs before Express sees them, with the same service and rules;
  // these routes serve every other spelling, and apps that import MediaModule.
  @Head(STREAM_PATH)
  @SignedItem()
  @ApiStreamVideo()
  head(
    @Param('id') id: string,
    @Query('download') download: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile | undefined> {
    return this.respond(id, download, request, response);
  }

  @Get(STREAM_PATH)
  @SignedItem()
  @ApiStreamVideo()
  stream(
    @Param('id') id: string,
    @Query('download') download: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile | undefined> {
    return this.respond(id, download, request, response);
  }

  private async respond(id: string, download: unknown, request: Request, response: Response): Promise<StreamableFile | undefined> {
    const streamRequest = toStreamRequest(request.method, id, download, request.headers);
    if (this.redirect !== null && streamRequest.method === 'GET') {
      const answer = await this.redirect.redirect(streamRequest.id, streamRequest.download);
      response.statusCode = answer.status;
      for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
      return new StreamableFile(Buffer.alloc(0));
    }
    const result = await this.streams.stream(streamRequest);
    this.access?.restrictCaching(result.headers, this.access.grantOf(request), this.options.cacheMaxAge);
    // Node's setHeader, not Express's set(): set() looks up a charset for
    // every Content-Type, per request, on the hottest route.
    response.statusCode = result.status;
    for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
    const rejection = rejectionOf(result);
    if (rejection !== null) throw rejection;
    if (result.body !== null || result.status === 304) {
      return result.body ?? undefined;
    }
    // A HEAD, or an empty file: an empty body of our own. Returning nothing
    // would make Express's send() run its own, looser freshness check and
    // turn some of these into 304s that GET would not give.
    return new StreamableFile(Buffer.alloc(0), { type: result.headers['Content-Type'] });
  }

  @All([STREAM_PATH, ':id', ''])
  @ApiExcludeEndpoint()
  methodNotAllowed(@Res({ passthrough: true }) response: Response): never {
    response.set('Allow', 'GET, HEAD');
    throw new ApiError(405, 'Only GET and HEAD are allowed here.');
  }
}
