import { Body, Controller, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { ConfigType } from '@nestjs/config';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError } from '../../common/api-error.js';
import { accessConfig } from '../../config/access.config.js';
import { MediaIdPipe } from '../../media/api/media-id.pipe.js';
import { MediaLibraryService } from '../../media/api/media-library.service.js';
import { AccessService, nowInSeconds } from '../access.service.js';
import { ApiKeyProtected } from '../http/access.decorators.js';
import { withLink } from '../signing/signed-urls.js';
import { LinksRequestDto, SignedLinksDto } from './links.dto.js';
import { parseLinksRequest } from './links-request.js';

/** Mints signed links to one item, for a server that does not sign them itself. */
@ApiTags('videos')
@Controller('api/videos')
export class LinksController {
  constructor(
    private readonly access: AccessService,
    private readonly library: MediaLibraryService,
    @Inject(accessConfig.KEY) private readonly settings: ConfigType<typeof accessConfig>,
  ) {}

  @Post(':id/links')
  @HttpCode(201)
  @ApiKeyProtected()
  @ApiOperation({ summary: 'Signed links to an item (ACCESS_MODE=signed; 404 in public mode)' })
  @ApiHeader({ name: 'X-API-Key', required: false, description: 'One of API_KEYS, or send Authorization: Bearer <key>' })
  @ApiBody({ type: LinksRequestDto, required: false })
  @ApiCreatedResponse({ type: SignedLinksDto })
  async create(@Param('id', MediaIdPipe) id: string, @Body() body: unknown, @Headers() headers: IncomingHttpHeaders): Promise<SignedLinksDto> {
    // The guard lets everything through in public mode, where links mean nothing.
    if (!this.access.signed) throw new ApiError(404, 'Nothing is served at this address.');
    // The JSON parser leaves a body of another type unread: refused, not taken for "no body".
    if (body === undefined && hasBody(headers)) throw new ApiError(400, ['the body must be JSON (Content-Type: application/json)']);
    const parsed = parseLinksRequest(body, this.settings.linkTtlSeconds);
    if (!parsed.ok) throw new ApiError(400, parsed.errors);
    if ((await this.library.find(id)) === null) throw new ApiError(404, 'No media has this ID.');
    const now = nowInSeconds();
    const link = this.access.mint(id, parsed.expiresIn, now);
    const encoded = encodeURIComponent(id);
    return {
      streamUrl: withLink(`/api/videos/${encoded}/stream`, link),
      watchUrl: withLink(`/watch/${encoded}`, link),
      embedUrl: withLink(`/embed/${encoded}`, link),
      posterUrl: withLink(`/api/videos/${encoded}/poster`, link),
      expiresAt: new Date(Number(link.expires) * 1000).toISOString(),
    };
  }
}

function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}
