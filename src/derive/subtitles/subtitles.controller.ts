import { All, Controller, Get, Head, Inject, Optional, Param, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccessService } from '../../access/access.service.js';
import { SignedItem } from '../../access/http/access.decorators.js';
import { ApiError } from '../../common/api-error.js';
import { MediaIdPipe } from '../../media/api/media-id.pipe.js';
import { VIDEOS_PATH } from '../../media/api/video.routes.js';
import { MEDIA_OPTIONS, type MediaOptions } from '../../media/media-options.js';
import type { ConditionalHeaders } from '../../media/http/preconditions.js';
import { ApiSubtitleTrack } from './subtitles.api-docs.js';
import { SUBTITLE_PATH } from './subtitles.routes.js';
import { SubtitlesService } from './subtitles.service.js';
import { sendDerivedAnswer } from '../api/derived-answer.js';

// A track is a language tag or `default`: letters, digits and hyphens. Any
// other name cannot be a track, so it is refused before storage is asked.
const TRACK = /^[A-Za-z0-9-]{1,64}$/;

/** Subtitle tracks over HTTP. */
@ApiTags('videos')
@Controller(VIDEOS_PATH)
export class SubtitlesController {
  constructor(
    private readonly subtitles: SubtitlesService,
    @Inject(MEDIA_OPTIONS) private readonly options: MediaOptions,
    // Absent in an app without AccessModule: everything public.
    @Optional() @Inject(AccessService) private readonly access: AccessService | null = null,
  ) {}

  // HEAD before GET: Express lets a GET route answer HEAD too.
  @Head(SUBTITLE_PATH)
  @SignedItem()
  @ApiSubtitleTrack()
  head(@Param('id', MediaIdPipe) id: string, @Param('track') track: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.respond(id, track, request, response);
  }

  @Get(SUBTITLE_PATH)
  @SignedItem()
  @ApiSubtitleTrack()
  get(@Param('id', MediaIdPipe) id: string, @Param('track') track: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.respond(id, track, request, response);
  }

  @All(SUBTITLE_PATH)
  @ApiExcludeEndpoint()
  methodNotAllowed(@Res({ passthrough: true }) response: Response): never {
    response.set('Allow', 'GET, HEAD');
    throw new ApiError(405, 'Only GET and HEAD are allowed here.');
  }

  private async respond(id: string, track: string, request: Request, response: Response): Promise<StreamableFile | undefined> {
    if (!TRACK.test(track)) {
      throw new ApiError(400, 'The subtitle track must be a language tag (en, pt-BR) or "default".');
    }
    const result = await this.subtitles.answer({
      id,
      track,
      method: request.method === 'HEAD' ? 'HEAD' : 'GET',
      headers: request.headers as ConditionalHeaders,
    });
    return sendDerivedAnswer(result, request, response, this.access, this.options.cacheMaxAge);
  }
}
