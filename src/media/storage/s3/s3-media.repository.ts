import {
  GetObjectCommand,
  HeadObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
  type GetObjectCommandOutput,
  type _Object,
} from '@aws-sdk/client-s3';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Readable } from 'node:stream';
import { MediaChangedError, MediaStorageUnavailableError } from '../media-errors.js';
import { idBaseName, isHiddenId, malformedIdReason } from '../media-id.js';
import { MediaOptions } from '../../media-options.js';
import { MediaItem, MediaRepository, MediaSource } from '../media.repository.js';
import { MediaTypes } from '../media-types.js';
import { ReusedPromise } from '../reused-promise.js';

export interface S3Location {
  bucket: string;
  /** '' or a prefix ending in '/'. */
  prefix: string;
}

/**
 * How long a listing of the bucket is reused. Listing pages through every key
 * (1,000 per request), so it is done at most once per this many ms, shared by
 * concurrent requests; `total` counts the matches in that snapshot.
 */
export const LIST_TTL_MS = 10_000;

interface SdkErrorShape {
  name?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Reads an SDK error's name and HTTP status without trusting its class (realm-safe). */
function sdkError(error: unknown): { name: string; status: number | undefined } {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : typeof shape.Code === 'string' ? shape.Code : '';
  const status = shape.$metadata?.httpStatusCode;
  return { name, status: typeof status === 'number' ? status : undefined };
}

function isMissing(error: unknown): boolean {
  const { name, status } = sdkError(error);
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

function isChanged(error: unknown): boolean {
  const { name, status } = sdkError(error);
  // A failed If-Match (412), or a range beyond an object that shrank (416).
  return name === 'PreconditionFailed' || name === 'InvalidRange' || status === 412 || status === 416;
}

function unavailable(action: string, error: unknown): MediaStorageUnavailableError {
  const { name, status } = sdkError(error);
  return new MediaStorageUnavailableError(`S3 ${action} failed: ${name || 'error'} ${status ?? ''}`.trim(), { cause: error });
}

/**
 * Serves the media objects below a key prefix of one bucket. Object keys are
 * IDs under the same rules as files; the range logic stays ours, so every
 * read is one explicit `bytes=a-b` GetObject pinned with If-Match to the ETag
 * that was announced.
 */
export class S3MediaRepository implements MediaRepository, OnApplicationShutdown {
  private readonly types: MediaTypes;
  private readonly listing = new ReusedPromise<MediaItem[]>(LIST_TTL_MS);

  /**
   * `client` answers metadata (HeadObject, ListObjectsV2, HeadBucket);
   * `bodyClient` streams bytes. Separate socket pools keep many stalled
   * readers, each holding a body socket, from blocking every lookup.
   */
  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
    options: Pick<MediaOptions, 'extensions'>,
    private readonly bodyClient: S3Client = client,
  ) {
    this.types = new MediaTypes(options.extensions);
  }

  list(): Promise<MediaItem[]> {
    return this.listing.get(() => this.listAll());
  }

  async find(id: string): Promise<MediaItem | null> {
    if (!this.isServableId(id)) {
      return null;
    }
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(id) }));
      if (head.ContentLength === undefined || head.ETag === undefined || head.LastModified === undefined) {
        throw new MediaStorageUnavailableError('S3 HeadObject answered without size, ETag or date');
      }
      return this.toItem(id, head.ContentLength, head.ETag, head.LastModified);
    } catch (error) {
      if (isMissing(error)) return null;
      if (error instanceof MediaStorageUnavailableError) throw error;
      throw unavailable('HeadObject', error);
    }
  }

  async open(id: string): Promise<MediaSource | null> {
    const item = await this.find(id);
    return item === null ? null : new S3MediaSource(this.bodyClient, this.location.bucket, this.key(id), item);
  }

  async ping(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.location.bucket }));
    } catch (error) {
      throw unavailable('HeadBucket', error);
    }
  }

  // After the HTTP server has closed (not on module destroy, which comes
  // first): downloads still under way keep their sockets until then.
  onApplicationShutdown(): void {
    this.client.destroy();
    if (this.bodyClient !== this.client) this.bodyClient.destroy();
  }

  private key(id: string): string {
    return `${this.location.prefix}${id}`;
  }

  private isServableId(id: string): boolean {
    return malformedIdReason(id) === null && !isHiddenId(id) && this.types.isMedia(id);
  }

  private async listAll(): Promise<MediaItem[]> {
    const items: MediaItem[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: this.location.prefix, ContinuationToken: token }),
        );
      } catch (error) {
        throw unavailable('ListObjectsV2', error);
      }
      for (const object of page.Contents ?? []) {
        const item = this.fromListing(object);
        if (item !== null) items.push(item);
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return items;
  }

  private fromListing(object: _Object): MediaItem | null {
    if (object.Key === undefined || object.Size === undefined || object.ETag === undefined || object.LastModified === undefined) {
      return null;
    }
    const id = object.Key.slice(this.location.prefix.length);
    return this.isServableId(id) ? this.toItem(id, object.Size, object.ETag, object.LastModified) : null;
  }

  private toItem(id: string, size: number, etag: string, modifiedAt: Date): MediaItem {
    const name = idBaseName(id);
    return {
      id,
      name,
      size,
      modifiedAt,
      // S3 ETags are strong and quoted; some servers drop the quotes.
      etag: /^(W\/)?"/.test(etag) ? etag : `"${etag}"`,
      mimeType: this.types.contentType(name),
    };
  }
}

/** One object, pinned to the version whose metadata was announced. */
class S3MediaSource implements MediaSource {
  // Every response body still open: each holds a pooled socket until it is
  // read to the end or destroyed.
  private readonly bodies = new Set<Readable>();
  private readonly abort = new AbortController();
  private closed = false;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    readonly item: MediaItem,
  ) {}

  async read(start: number, end: number): Promise<Readable> {
    let response: GetObjectCommandOutput;
    try {
      response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key, Range: `bytes=${start}-${end}`, IfMatch: this.item.etag }),
        { abortSignal: this.abort.signal },
      );
    } catch (error) {
      if (isChanged(error) || isMissing(error)) throw new MediaChangedError();
      throw unavailable('GetObject', error);
    }
    const body = response.Body;
    if (!isReadable(body)) {
      throw new MediaStorageUnavailableError('S3 GetObject answered without a body stream');
    }
    if (this.closed) {
      body.destroy();
      throw new MediaChangedError('the media source was closed while a read started');
    }
    this.bodies.add(body);
    body.once('close', () => this.bodies.delete(body));
    const sent = sentRange(response, this.item.size);
    if (sent !== null && sent.start === start && sent.end === end) {
      return body;
    }
    // Some servers answer a range they find odd with more than was asked
    // (s3rver sends the whole object for `bytes=0-0`): cut the asked bytes
    // out of it, as long as it is this object and covers them.
    if (sent !== null && sent.start <= start && sent.end >= end) {
      return Readable.from(slice(body, start - sent.start, end - sent.start), { objectMode: false });
    }
    body.destroy();
    throw new MediaChangedError(`S3 answered ${response.ContentRange ?? 'no Content-Range'} for bytes ${start}-${end}`);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.abort.abort();
      for (const body of this.bodies) body.destroy();
      this.bodies.clear();
    }
    return Promise.resolve();
  }
}

/** The bytes a GetObject response carries: its Content-Range, or the whole object. */
function sentRange(response: GetObjectCommandOutput, size: number): { start: number; end: number } | null {
  if (response.ContentRange === undefined) {
    return response.ContentLength === size ? { start: 0, end: size - 1 } : null;
  }
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.ContentRange);
  if (match === null || Number(match[3]) !== size) {
    return null;
  }
  return { start: Number(match[1]), end: Number(match[2]) };
}

// Duck-typed: the SDK's stream may come from another realm (as under Jest).
function isReadable(body: unknown): body is Readable {
  return typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function' && typeof (body as Readable).destroy === 'function';
}

/** Bytes start..end (offsets in the stream) of a body; destroys it when done or abandoned. */
async function* slice(body: Readable, start: number, end: number): AsyncGenerator<Buffer> {
  let position = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      const from = Math.max(start - position, 0);
      const to = Math.min(end + 1 - position, buffer.length);
      if (from < to) yield buffer.subarray(from, to);
      position += buffer.length;
      if (position > end) break;
    }
  } finally {
    body.destroy();
  }
}
