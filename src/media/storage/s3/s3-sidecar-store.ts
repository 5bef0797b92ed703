import { HeadObjectCommand, ListObjectsV2Command, S3Client, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { OnApplicationShutdown } from '@nestjs/common';
import { MediaStorageUnavailableError } from '../media-errors.js';
import { idBaseName, isHiddenId, malformedIdReason } from '../media-id.js';
import type { MediaItem, MediaSource } from '../media.repository.js';
import type { StoredFile } from '../media-scanner.js';
import { MediaTypes } from '../media-types.js';
import { isSidecarId, isSidecarOf, sidecarSearch } from '../sidecar-lookup.js';
import type { SidecarStore } from '../sidecar-store.js';
import { isMissing, unavailable } from './s3-errors.js';
import { S3MediaSource } from './s3-media-source.js';
import type { S3Location } from './s3-media.repository.js';

/**
 * Sidecar objects next to the media objects, under the same key rules. An
 * item's sidecars share its key up to the extension, so one ListObjectsV2
 * with that prefix (and `/` as delimiter, so a folder named like the item is
 * not descended into) finds them all without listing the bucket.
 */
export class S3SidecarStore implements SidecarStore, OnApplicationShutdown {
  private readonly types = new MediaTypes([]);

  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
    private readonly bodyClient: S3Client = client,
  ) {}

  async findSidecars(itemId: string): Promise<StoredFile[]> {
    if (malformedIdReason(itemId) !== null || isHiddenId(itemId)) return [];
    const { stem } = sidecarSearch(itemId);
    const found: StoredFile[] = [];
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: this.key(stem), Delimiter: '/', ContinuationToken: token }),
        );
      } catch (error) {
        throw unavailable('ListObjectsV2', error);
      }
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || object.Size === undefined || object.ETag === undefined || object.LastModified === undefined) continue;
        const id = object.Key.slice(this.location.prefix.length);
        if (isSidecarOf(stem, id)) found.push(this.toItem(id, object.Size, object.ETag, object.LastModified));
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return found;
  }

  async openSidecar(sidecarId: string): Promise<MediaSource | null> {
    if (!isSidecarId(sidecarId)) return null;
    let item: MediaItem;
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(sidecarId) }));
      if (head.ContentLength === undefined || head.ETag === undefined || head.LastModified === undefined) {
        throw new MediaStorageUnavailableError('S3 HeadObject answered without size, ETag or date');
      }
      item = this.toItem(sidecarId, head.ContentLength, head.ETag, head.LastModified);
    } catch (error) {
      if (isMissing(error)) return null;
      if (error instanceof MediaStorageUnavailableError) throw error;
      throw unavailable('HeadObject', error);
    }
    return new S3MediaSource(this.bodyClient, this.location.bucket, this.key(sidecarId), item);
  }

  onApplicationShutdown(): void {
    this.client.destroy();
    if (this.bodyClient !== this.client) this.bodyClient.destroy();
  }

  private key(id: string): string {
    return `${this.location.prefix}${id}`;
  }

  private toItem(id: string, size: number, etag: string, modifiedAt: Date): MediaItem {
    const name = idBaseName(id);
    return {
      id,
      name,
      size,
      modifiedAt,
      // As the S3 repository: strong and quoted, though some servers drop the quotes.
      etag: /^(W\/)?"/.test(etag) ? etag : `"${etag}"`,
      mimeType: this.types.contentType(name),
    };
  }
}
