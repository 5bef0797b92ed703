import type { S3Client } from '@aws-sdk/client-s3';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { MediaScanner, StorageScan } from '../media-scanner.js';
import { MediaTypes } from '../media-types.js';
import { sidecarKind } from '../sidecar-names.js';
import { isServableKeyId, objectItem, quotedEtag } from './s3-object-item.js';
import type { S3Location } from './s3-media.repository.js';
import { listObjectPages } from './s3-list-pages.js';

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
    for await (const objects of listObjectPages(this.client, this.location)) {
      const found: StorageScan = { items: [], sidecars: [] };
      for (const object of objects) {
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
    }
    return all;
  }

  watch(): null {
    return null;
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
