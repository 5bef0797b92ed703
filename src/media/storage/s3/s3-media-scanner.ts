import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { MediaScanner, StorageScan } from '../media-scanner.js';
import { MediaTypes } from '../media-types.js';
import { sidecarKind } from '../sidecar-names.js';
import { isServableKeyId, objectItem, quotedEtag } from './s3-object-item.js';
import type { S3Location } from './s3-media.repository.js';
import { unavailable } from './s3-errors.js';

/**
 * Lists the bucket below the prefix with ListObjectsV2 (1,000 keys a page;
 * size, ETag and date come with the listing, so no HeadObject per key) by
 * the key rules of S3MediaRepository. `onProgress` gets each page's finds.
 * S3 cannot be watched: the catalog rescans instead.
 */
export class S3MediaScanner implements MediaScanner, OnApplicationShutdown {
  private readonly types: MediaTypes;

  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
    options: { extensions: readonly string[] },
  ) {
    this.types = new MediaTypes(options.extensions);
  }

  async scan(onProgress?: (partial: StorageScan) => void): Promise<StorageScan> {
    const all: StorageScan = { items: [], sidecars: [] };
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
      const found: StorageScan = { items: [], sidecars: [] };
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || object.Size === undefined || object.ETag === undefined || object.LastModified === undefined) continue;
        const id = object.Key.slice(this.location.prefix.length);
        if (!isServableKeyId(id)) continue;
        if (this.types.isMedia(id)) {
          found.items.push(objectItem(id, object.Size, object.ETag, object.LastModified, this.types));
        } else if (sidecarKind(id) !== null) {
          found.sidecars.push({ id, size: object.Size, modifiedAt: object.LastModified, etag: quotedEtag(object.ETag) });
        }
      }
      all.items.push(...found.items);
      all.sidecars.push(...found.sidecars);
      onProgress?.(found);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return all;
  }

  watch(): null {
    return null;
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
