import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ApiError } from '../../../common/api-error.js';
import { attachment } from '../../streaming/range-stream.service.js';
import type { StreamRedirect, StreamRedirectAnswer } from '../../streaming/stream-redirect.js';
import type { MediaRepository } from '../media.repository.js';
import { storageErrorToHttp } from '../storage-error.mapping.js';
import type { S3Location } from './s3-media.repository.js';

/**
 * S3_DELIVERY=redirect: a 302 to a presigned GetObject of the item, so the
 * object store (or a CDN in front of it) answers ranges and conditionals.
 * The item is looked up first, through the repository, so that only what the
 * service would serve (media extensions, no dotfiles) is ever signed, and a
 * missing one is our 404 rather than the store's XML.
 */
export class S3PresignedRedirect implements StreamRedirect {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
    private readonly repository: MediaRepository,
    private readonly seconds: number,
  ) {}

  async redirect(id: string, download: boolean): Promise<StreamRedirectAnswer> {
    let url: string;
    try {
      const item = await this.repository.find(id);
      if (item === null) throw new ApiError(404, 'No media has this ID.');
      const command = new GetObjectCommand({
        Bucket: this.location.bucket,
        Key: `${this.location.prefix}${id}`,
        // The store would answer with whatever type the object was uploaded with.
        ResponseContentType: item.mimeType,
        ResponseContentDisposition: download ? attachment(item.name) : undefined,
      });
      url = await getSignedUrl(this.client, command, { expiresIn: this.seconds });
    } catch (error) {
      throw storageErrorToHttp(error);
    }
    // The URL expires: a cached redirect would outlive it.
    return { status: 302, headers: { Location: url, 'Cache-Control': 'private, no-store', 'Content-Length': '0' } };
  }
}
