import { Controller, Get, Inject, Optional, Param, Query, Req, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccessService } from '../access/access.service.js';
import { PublicLibraryPage, SignedItemPage } from '../access/http/access.decorators.js';
import { serverConfig } from '../config/server.config.js';
import { webConfig } from '../config/web.config.js';
import { MediaLibraryService } from '../media/api/media-library.service.js';
import { malformedIdReason } from '../media/storage/media-id.js';
import { MediaItem } from '../media/storage/media.repository.js';
import { LIBRARY_PAGE_SIZE, embedPage, errorPage, libraryPage, watchPage } from './pages.js';

/** The HTML pages: library, watch and embed. Data comes from the library service. */
@ApiExcludeController()
@Controller()
export class PlayerController {
  constructor(
    private readonly library: MediaLibraryService,
    @Inject(webConfig.KEY) private readonly web: ConfigType<typeof webConfig>,
    @Inject(serverConfig.KEY) private readonly server: ConfigType<typeof serverConfig>,
    @Optional() @Inject(AccessService) private readonly access: AccessService | null = null,
  ) {}

  @Get()
  @PublicLibraryPage()
  async index(@Query('q') q: unknown, @Query('page') pageParam: unknown, @Res() response: Response): Promise<void> {
    const query = typeof q === 'string' ? q.slice(0, 1024) : '';
    const pageNumber = typeof pageParam === 'string' && /^[1-9][0-9]{0,6}$/.test(pageParam) ? Number(pageParam) : 1;
    const result = await this.library.list({
      q: query,
      limit: LIBRARY_PAGE_SIZE,
      offset: (pageNumber - 1) * LIBRARY_PAGE_SIZE,
    });
    sendHtml(response, 200, libraryPage(result, query, pageNumber));
  }

  @Get('watch/:id')
  @SignedItemPage()
  async watch(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const item = await this.findForPage(id, response);
    if (item !== null) {
      const link = this.access?.grantOf(request)?.link ?? null;
      // PUBLIC_URL, else the request's own (X-Forwarded-Proto and -Host count under TRUST_PROXY).
      const origin = this.server.publicUrl ?? `${request.protocol}://${request.host ?? 'localhost'}`;
      sendHtml(response, 200, watchPage(item, origin, link));
    }
  }

  @Get('embed/:id')
  @SignedItemPage()
  async embed(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const item = await this.findForPage(id, response);
    if (item === null) {
      return;
    }
    // By default any site may frame the player; EMBED_ALLOWED_ORIGINS narrows it.
    if (this.web.embedAllowedOrigins.length > 0) {
      response.set('Content-Security-Policy', `frame-ancestors 'self' ${this.web.embedAllowedOrigins.join(' ')}`);
    }
    sendHtml(response, 200, embedPage(item, this.access?.grantOf(request)?.link ?? null));
  }

  /** The item, or null after answering with an HTML error page. */
  private async findForPage(id: string, response: Response): Promise<MediaItem | null> {
    if (malformedIdReason(id) !== null) {
      sendHtml(response, 400, errorPage(400, 'This is not a valid media ID.'));
      return null;
    }
    const item = await this.library.find(id);
    if (item === null) {
      sendHtml(response, 404, errorPage(404, 'There is no media with this ID.'));
    }
    return item;
  }
}

function sendHtml(response: Response, status: number, html: string): void {
  response
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' })
    .send(html);
}
