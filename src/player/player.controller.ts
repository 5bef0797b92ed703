import { Controller, Get, Inject, Optional, Param, Query, Req, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccessService } from '../access/access.service.js';
import { PublicLibraryPage, SignedItemPage } from '../access/http/access.decorators.js';
import type { LinkParameters } from '../access/signing/link-signature.js';
import { signVideoUrls } from '../access/signing/signed-urls.js';
import { serverConfig } from '../config/server.config.js';
import { webConfig } from '../config/web.config.js';
import { SubtitlesService } from '../derive/subtitles/subtitles.service.js';
import { subtitleUrl } from '../derive/subtitles/subtitles.routes.js';
import { MediaLibraryService } from '../media/api/media-library.service.js';
import { presentVideo, type VideoView } from '../media/api/video.presenter.js';
import { malformedIdReason } from '../media/storage/media-id.js';
import { embedPage, errorPage, watchPage } from './item-pages.js';
import { LIBRARY_PAGE_SIZE, libraryPage } from './library-page.js';
import { parseLibraryView } from './library-view.js';

/**
 * How long a player page waits for a new item's probe: long enough for a
 * short clip's poster and duration, short enough that a page never hangs on
 * a slow probe (it then shows the player without them).
 */
const PAGE_PROBE_WAIT_MS = 3_000;

/** The HTML pages: library, watch and embed. Data comes from the library service. */
@ApiExcludeController()
@Controller()
export class PlayerController {
  constructor(
    private readonly library: MediaLibraryService,
    @Inject(webConfig.KEY) private readonly web: ConfigType<typeof webConfig>,
    private readonly subtitles: SubtitlesService,
    @Inject(serverConfig.KEY) private readonly server: ConfigType<typeof serverConfig>,
    @Optional() @Inject(AccessService) private readonly access: AccessService | null = null,
  ) {}

  @Get()
  @PublicLibraryPage()
  async index(@Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const view = parseLibraryView(query);
    const result = await this.library.list({
      q: view.q,
      type: view.type,
      sort: view.sort,
      order: view.order,
      limit: LIBRARY_PAGE_SIZE,
      offset: (view.page - 1) * LIBRARY_PAGE_SIZE,
    });
    sendHtml(response, 200, libraryPage({ items: result.items.map(presentVideo), total: result.total }, view));
  }

  @Get('watch/:id')
  @SignedItemPage()
  async watch(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const link = this.access?.grantOf(request)?.link ?? null;
    const video = await this.videoForPage(id, link, response);
    if (video !== null) {
      // PUBLIC_URL, else the request's own (X-Forwarded-Proto and -Host count under TRUST_PROXY).
      const origin = this.server.publicUrl ?? `${request.protocol}://${request.host ?? 'localhost'}`;
      sendHtml(response, 200, watchPage(video, origin, link));
    }
  }

  @Get('embed/:id')
  @SignedItemPage()
  async embed(@Param('id') id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const video = await this.videoForPage(id, this.access?.grantOf(request)?.link ?? null, response);
    if (video === null) {
      return;
    }
    // By default any site may frame the player; EMBED_ALLOWED_ORIGINS narrows it.
    if (this.web.embedAllowedOrigins.length > 0) {
      response.set('Content-Security-Policy', `frame-ancestors 'self' ${this.web.embedAllowedOrigins.join(' ')}`);
    }
    sendHtml(response, 200, embedPage(video));
  }

  /**
   * The item as the pages show it, or null after answering with an HTML
   * error page. Its URLs carry the page's own link in signed mode (one
   * signature serves every route of the item), so the player keeps seeking.
   */
  private async videoForPage(id: string, link: LinkParameters | null, response: Response): Promise<VideoView | null> {
    if (malformedIdReason(id) !== null) {
      sendHtml(response, 400, errorPage(400, 'This is not a valid media ID.'));
      return null;
    }
    const item = await this.library.describe(id, PAGE_PROBE_WAIT_MS);
    if (item === null) {
      sendHtml(response, 404, errorPage(404, 'There is no media with this ID.'));
      return null;
    }
    const view: VideoView = { ...presentVideo(item), subtitles: await this.tracksOf(item.id) };
    return link === null ? view : signVideoUrls(view, link);
  }

  /**
   * The tracks asked of storage as the subtitles route asks (so every
   * <track> on the page loads), not the catalog's. A failure to list them
   * costs the page its subtitles, not the player.
   */
  private async tracksOf(id: string): Promise<VideoView['subtitles']> {
    try {
      const tracks = await this.subtitles.tracks(id);
      return tracks.map((track) => ({ track: track.track, language: track.language, label: track.label, url: subtitleUrl(id, track.track) }));
    } catch {
      return [];
    }
  }
}

function sendHtml(response: Response, status: number, html: string): void {
  response
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' })
    .send(html);
}
