import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import mime from 'mime-types';
import { ApiError } from '../../common/api-error.js';
import { formatHttpDate } from '../../media/http/http-date.js';
import { type ConditionalHeaders, evaluatePreconditions } from '../../media/http/preconditions.js';
import type { MediaItem, MediaRepository } from '../../media/storage/media.repository.js';
import type { StoredFile } from '../../media/storage/media-scanner.js';
import type { ProgramInputSource } from '../../media/storage/program-input.js';
import type { SidecarStore } from '../../media/storage/sidecar-store.js';
import { withStorageErrors } from '../../media/storage/storage-error.mapping.js';
import { extensionOf } from '../../media/storage/media-types.js';
import { type FfprobeMetadataProber, hasDetails } from '../probe/ffprobe-metadata.prober.js';
import { posterSidecar } from '../subtitle-tracks.js';
import type { PosterCache } from './poster-cache.js';
import type { PosterMaker, PosterOrigin } from './poster-maker.js';

// Part of every generated poster's key: bump it when the way posters are made changes.
const RECIPE = 'poster1';
const NO_POSTER = 'This item has no poster.';

export interface PosterRequest {
  id: string;
  /** One of POSTER_WIDTHS, or null for the image as it is. */
  width: number | null;
  method: 'GET' | 'HEAD';
  headers: ConditionalHeaders;
}

export interface PosterResponse {
  status: 200 | 304;
  headers: Record<string, string>;
  /** Present only for a GET with 200. */
  body: Buffer | Readable | null;
}

/** What the answer is made of, known before any image is read or made. */
interface Plan {
  validators: { etag: string; lastModified: Date };
  type: string;
  /** The sidecar served as it is, or the parts of a generated image's key. */
  sidecar: StoredFile | null;
  make: (() => Promise<Buffer | null>) | null;
  key: string;
}

const hash = (parts: readonly string[]): string => createHash('sha256').update(parts.join('\n')).digest('hex');
const latest = (a: Date, b: Date): Date => (a > b ? a : b);

/**
 * The poster of an item: its sidecar image, else its cover art, else a
 * representative frame, asked of storage on every request. Generated images
 * are made once per (item version, sidecar version, width), kept in the
 * PosterCache, and concurrent requests for one share one ffmpeg run.
 */
export class PosterService {
  private readonly making = new Map<string, Promise<Buffer | null>>();

  constructor(
    private readonly repository: MediaRepository,
    private readonly sidecars: SidecarStore,
    private readonly inputs: ProgramInputSource | null,
    private readonly prober: FfprobeMetadataProber,
    private readonly maker: PosterMaker,
    private readonly cache: PosterCache,
    private readonly cacheMaxAge: number,
  ) {}

  answer(request: PosterRequest): Promise<PosterResponse> {
    return withStorageErrors(() => this.attempt(request));
  }

  private async attempt(request: PosterRequest): Promise<PosterResponse> {
    const item = await this.repository.find(request.id);
    if (item === null) throw new ApiError(404, 'No media has this ID.');
    const plan = await this.plan(item, request.width);
    const now = new Date();
    // RFC 9110 8.8.2.1: a modification time in the future is sent as now.
    const lastModified = plan.validators.lastModified > now ? now : plan.validators.lastModified;
    const headers: Record<string, string> = {
      ETag: plan.validators.etag,
      'Last-Modified': formatHttpDate(lastModified),
      'Cache-Control': `public, max-age=${this.cacheMaxAge}`,
    };
    const outcome = evaluatePreconditions(request.headers, { etag: plan.validators.etag, lastModified });
    if (outcome === 'not-modified') return { status: 304, headers, body: null };
    if (outcome === 'precondition-failed') throw new ApiError(412, 'The poster does not match the request\'s preconditions.');
    if (plan.sidecar !== null) return this.sidecarAnswer(plan.sidecar, plan.type, headers, request.method);
    const bytes = await this.generated(plan);
    if (bytes === null) throw new ApiError(404, NO_POSTER);
    headers['Content-Type'] = plan.type;
    headers['Content-Length'] = String(bytes.length);
    return { status: 200, headers, body: request.method === 'GET' ? bytes : null };
  }

  private async plan(item: MediaItem, width: number | null): Promise<Plan> {
    const sidecar = posterSidecar(item.id, await this.sidecars.findSidecars(item.id));
    if (sidecar !== null) {
      const validators = { etag: this.etag([item.id, item.etag, sidecar.etag, String(width)]), lastModified: latest(item.modifiedAt, sidecar.modifiedAt) };
      // Without ffmpeg a sidecar is still a poster: served as it is, whatever the width.
      if (width === null || !this.maker.available) {
        return { validators, type: mime.lookup(sidecar.id) || 'application/octet-stream', sidecar, make: null, key: '' };
      }
      const make = () => this.fromSidecar(sidecar, width);
      return { validators, type: 'image/jpeg', sidecar: null, make, key: hash([RECIPE, item.id, item.etag, sidecar.etag, String(width)]) };
    }
    const origin = await this.originOf(item);
    const validators = { etag: this.etag([item.id, item.etag, origin.kind, String(width)]), lastModified: item.modifiedAt };
    const make = () => this.fromMedia(item, origin, width);
    return { validators, type: 'image/jpeg', sidecar: null, make, key: hash([RECIPE, item.id, item.etag, origin.kind, String(width)]) };
  }

  /** Cover art, else a frame of the first video stream; 404 when the item has neither. */
  private async originOf(item: MediaItem): Promise<PosterOrigin> {
    if (this.inputs === null || !this.maker.available) throw new ApiError(404, NO_POSTER);
    const { answer } = await this.prober.details(item.id, item.etag);
    if (!hasDetails(answer)) throw new ApiError(404, NO_POSTER);
    if (answer.coverArtStreamIndex !== null) return { kind: 'art', streamIndex: answer.coverArtStreamIndex };
    if (answer.videoStreamIndex !== null) {
      return { kind: 'frame', streamIndex: answer.videoStreamIndex, durationSeconds: answer.metadata.durationSeconds };
    }
    throw new ApiError(404, NO_POSTER);
  }

  private etag(parts: readonly string[]): string {
    return `"${hash([RECIPE, ...parts]).slice(0, 32)}"`;
  }

  /** From the cache, else made once however many requests wait for it. */
  private async generated(plan: Plan): Promise<Buffer | null> {
    const cached = await this.cache.get(plan.key);
    if (cached !== null || plan.make === null) return cached;
    const running = this.making.get(plan.key);
    if (running !== undefined) return running;
    const make = plan.make;
    const made = (async () => {
      const bytes = await make();
      // A poster that cannot be kept (a full disk) is still answered, and made again next time.
      if (bytes !== null) await this.cache.put(plan.key, bytes).catch(() => undefined);
      return bytes;
    })().finally(() => this.making.delete(plan.key));
    this.making.set(plan.key, made);
    return made;
  }

  private async fromMedia(item: MediaItem, origin: PosterOrigin, width: number | null): Promise<Buffer | null> {
    const input = this.inputs === null ? null : await this.inputs.openForProgram(item.id);
    if (input === null) return null;
    try {
      // The file changed since it was looked up: its poster is another one.
      if (input.item.etag !== item.etag) return null;
      return await this.maker.fromMedia(input, origin, width);
    } finally {
      await input.close();
    }
  }

  private async fromSidecar(sidecar: StoredFile, width: number): Promise<Buffer | null> {
    const source = await this.sidecars.openSidecar(sidecar.id);
    if (source === null || source.item.size === 0) return null;
    try {
      return await this.maker.fromImage(await source.read(0, source.item.size - 1), extensionOf(sidecar.id), width);
    } finally {
      await source.close();
    }
  }

  private async sidecarAnswer(sidecar: StoredFile, type: string, headers: Record<string, string>, method: 'GET' | 'HEAD'): Promise<PosterResponse> {
    const source = await this.sidecars.openSidecar(sidecar.id);
    if (source === null) throw new ApiError(404, NO_POSTER);
    headers['Content-Type'] = type;
    headers['Content-Length'] = String(source.item.size);
    if (method === 'HEAD' || source.item.size === 0) {
      await source.close();
      return { status: 200, headers, body: method === 'HEAD' ? null : Buffer.alloc(0) };
    }
    const body = await source.read(0, source.item.size - 1);
    body.once('close', () => void source.close());
    return { status: 200, headers, body };
  }
}
