import { ListObjectsV2Command, type S3Client, type _Object } from '@aws-sdk/client-s3';
import { unavailable } from './s3-errors.js';

/** Every object below the prefix, one ListObjectsV2 page (up to 1,000 keys) at a time. */
export async function* listObjectPages(client: S3Client, location: { bucket: string; prefix: string }): AsyncGenerator<_Object[]> {
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix, ContinuationToken: token }));
    } catch (error) {
      throw unavailable('ListObjectsV2', error);
    }
    yield page.Contents ?? [];
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}
