import { HeadBucketCommand, HeadObjectCommand, S3Client, type _Object } from '@aws-sdk/client-s3';
import type { OnApplicationShutdown } from '@nestjs/common';
import { MediaStorageUnavailableError } from '../media-errors.js';
import { MediaOptions } from '../../media-options.js';
import { MediaItem, MediaRepository, MediaSource } from '../media.repository.js';
import { MediaTypes } from '../media-types.js';
import { ReusedPromise } from '../reused-promise.js';
import { isMissing, unavailable } from './s3-errors.js';
import { listObjectPages } from './s3-list-pages.js';
import { S3MediaSource } from './s3-media-source.js';
import { isServableKeyId, objectItem } from './s3-object-item.js';

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
    return isServableKeyId(id) && this.types.isMedia(id);
  }

  private async listAll(): Promise<MediaItem[]> {
    const items: MediaItem[] = [];
    for await (const objects of listObjectPages(this.client, this.location)) {
      for (const object of objects) {
        const item = this.fromListing(object);
        if (item !== null) items.push(item);
      }
    }
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
    return objectItem(id, size, etag, modifiedAt, this.types);
  }
}
