import { All, Controller, Get, Head, Inject, Optional, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccessService } from '../../access/access.service.js';
import { SignedItem } from '../../access/http/access.decorators.js';
import { ApiError } from '../../common/api-error.js';
import { MediaIdPipe } from '../../media/api/media-id.pipe.js';
import { VIDEOS_PATH } from '../../media/api/video.routes.js';
import { MEDIA_OPTIONS, type MediaOptions } from '../../media/media-options.js';
import type { ConditionalHeaders } from '../../media/http/preconditions.js';
import { PosterService } from '../posters/poster.service.js';
import { POSTER_WIDTHS, parsePosterWidth } from '../posters/poster-width.js';
import { ApiPoster } from './poster.api-docs.js';
import { POSTER_PATH } from './poster.routes.js';
import { sendDerivedAnswer } from './derived-answer.js';

/** Posters over HTTP; the service decides, storage is asked there. */
@ApiTags('videos')
@Controller(VIDEOS_PATH)
export class PosterController {
  constructor(
    private readonly posters: PosterService,
    @Inject(MEDIA_OPTIONS) private readonly options: MediaOptions,
    // Absent in an app without AccessModule: everything public.
    @Optional() @Inject(AccessService) private readonly access: AccessService | null = null,
  ) {}

  // HEAD before GET: Express lets a GET route answer HEAD too.
  @Head(POSTER_PATH)
  @SignedItem()
  @ApiPoster()
  head(@Param('id', MediaIdPipe) id: string, @Query('width') width: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.respond(id, width, request, response);
  }

  @Get(POSTER_PATH)
  @SignedItem()
  @ApiPoster()
  get(@Param('id', MediaIdPipe) id: string, @Query('width') width: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.respond(id, width, request, response);
  }

  @All(POSTER_PATH)
  @ApiExcludeEndpoint()
  methodNotAllowed(@Res({ passthrough: true }) response: Response): never {
    response.set('Allow', 'GET, HEAD');
    throw new ApiError(405, 'Only GET and HEAD are allowed here.');
  }

  private async respond(id: string, rawWidth: unknown, request: Request, response: Response): Promise<StreamableFile | undefined> {
    const width = parsePosterWidth(rawWidth);
    if (width === 'invalid') throw new ApiError(400, `width must be one of ${POSTER_WIDTHS.join(', ')}.`);
    const result = await this.posters.answer({
      id,
      width,
      method: request.method === 'HEAD' ? 'HEAD' : 'GET',
      headers: request.headers as ConditionalHeaders,
    });
    return sendDerivedAnswer(result, request, response, this.access, this.options.cacheMaxAge);
  }
}
