import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error.js';
import { MEDIA_OPTIONS, type MediaOptions } from '../../media/media-options.js';
import { formatHttpDate } from '../../media/http/http-date.js';
import { type ConditionalHeaders, evaluatePreconditions } from '../../media/http/preconditions.js';
import { MediaChangedError } from '../../media/storage/media-errors.js';
import { MEDIA_REPOSITORY, type MediaRepository, type MediaSource } from '../../media/storage/media.repository.js';
import { SIDECAR_STORE, type SidecarStore } from '../../media/storage/sidecar-store.js';
import { storageErrorToHttp } from '../../media/storage/storage-error.mapping.js';
import { type SubtitleTrack, findSubtitleTrack, subtitleTracks } from '../subtitle-tracks.js';
import { srtToVtt } from './srt-to-vtt.js';

/**
 * The largest subtitle file served. Tracks are read whole into memory (SubRip
 * to convert it, WebVTT to send it in one write); a feature film's track is
 * about 100 KB, so anything near this is not a subtitle file.
 */
export const SUBTITLE_MAX_BYTES = 8 * 1024 * 1024;
export const SUBTITLE_CONTENT_TYPE = 'text/vtt; charset=utf-8';
// Part of the converted track's ETag: bump it when srtToVtt's output changes,
// so caches do not keep the old conversion of an unchanged file.
const CONVERSION_VERSION = 'vtt1';

export interface SubtitleRequest {
  id: string;
  track: string;
  method: 'GET' | 'HEAD';
  headers: ConditionalHeaders;
}

export interface SubtitleResponse {
  status: 200 | 304;
  headers: Record<string, string>;
  /** Present only for a GET with 200. */
  body: Buffer | null;
}

/** One subtitle track of an item as WebVTT, asked of storage on every request. */
@Injectable()
export class SubtitlesService {
  constructor(
    @Inject(MEDIA_REPOSITORY) private readonly repository: MediaRepository,
    @Inject(SIDECAR_STORE) private readonly sidecars: SidecarStore,
    @Inject(MEDIA_OPTIONS) private readonly options: MediaOptions,
  ) {}

  /** The item's tracks as storage holds them now (for the player pages). */
  async tracks(itemId: string): Promise<SubtitleTrack[]> {
    return subtitleTracks(itemId, await this.sidecars.findSidecars(itemId));
  }

  async answer(request: SubtitleRequest): Promise<SubtitleResponse> {
    try {
      return await this.attempt(request);
    } catch (error) {
      // The sidecar was replaced between its description and its bytes: once
      // more from the start, so headers and body describe the same version.
      if (!(error instanceof MediaChangedError)) throw storageErrorToHttp(error);
    }
    try {
      return await this.attempt(request);
    } catch (error) {
      throw storageErrorToHttp(error);
    }
  }

  private async attempt(request: SubtitleRequest): Promise<SubtitleResponse> {
    if ((await this.repository.find(request.id)) === null) {
      throw new ApiError(404, 'No media has this ID.');
    }
    const track = findSubtitleTrack(request.id, await this.sidecars.findSidecars(request.id), request.track);
    const source = track === null ? null : await this.sidecars.openSidecar(track.file.id);
    if (track === null || source === null) {
      throw new ApiError(404, 'This item has no such subtitle track.');
    }
    try {
      const file = source.item;
      if (file.size > SUBTITLE_MAX_BYTES) {
        throw new ApiError(404, `This subtitle track is not served: its file is larger than ${SUBTITLE_MAX_BYTES} bytes.`);
      }
      const now = new Date();
      // RFC 9110 8.8.2.1: a modification time in the future is sent as now.
      const lastModified = file.modifiedAt > now ? now : file.modifiedAt;
      const etag = track.format === 'vtt' ? file.etag : convertedEtag(file.etag);
      const headers: Record<string, string> = {
        ETag: etag,
        'Last-Modified': formatHttpDate(lastModified),
        'Cache-Control': `public, max-age=${this.options.cacheMaxAge}`,
      };
      const outcome = evaluatePreconditions(request.headers, { etag, lastModified });
      if (outcome === 'precondition-failed') {
        throw new ApiError(412, "The subtitle track does not match the request's preconditions.");
      }
      if (outcome === 'not-modified') {
        return { status: 304, headers, body: null };
      }
      headers['Content-Type'] = SUBTITLE_CONTENT_TYPE;
      if (track.format === 'vtt' && request.method === 'HEAD') {
        // Served as is: its length is the file's, no need to read it.
        return { status: 200, headers: { ...headers, 'Content-Length': String(file.size) }, body: null };
      }
      const bytes = await readWhole(source);
      const body = track.format === 'vtt' ? bytes : Buffer.from(srtToVtt(bytes), 'utf8');
      headers['Content-Length'] = String(body.length);
      return { status: 200, headers, body: request.method === 'HEAD' ? null : body };
    } finally {
      await source.close();
    }
  }
}

/** The converted track's strong ETag: the file's, marked as converted (so never equal to it). */
function convertedEtag(fileEtag: string): string {
  return `"${fileEtag.replace(/^W\//, '').replace(/^"|"$/g, '')}-${CONVERSION_VERSION}"`;
}

/** Every byte of a (bounded) sidecar, read from the version that was opened. */
async function readWhole(source: MediaSource): Promise<Buffer> {
  const size = source.item.size;
  if (size === 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of await source.read(0, size - 1)) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  if (length !== size) throw new MediaChangedError(`read ${length} bytes of a ${size}-byte sidecar`);
  return Buffer.concat(chunks, length);
}
