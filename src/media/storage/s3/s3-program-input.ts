import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { MediaRepository } from '../media.repository.js';
import type { ProgramInput, ProgramInputSource } from '../program-input.js';
import type { S3Location } from './s3-media.repository.js';

/**
 * Long enough for one probe or frame grab (PROBE_TIMEOUT_SECONDS is at most
 * an hour), short enough that a URL seen in a process list is soon useless.
 */
export const PROGRAM_URL_SECONDS = 3600;

/**
 * Hands programs a presigned GetObject URL of the one object: ffprobe reads
 * its headers with ranged requests (it never downloads the whole object),
 * and the URL grants nothing else. The item is looked up first, so only what
 * the service would serve is ever signed.
 */
export class S3ProgramInputSource implements ProgramInputSource {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
    private readonly repository: MediaRepository,
    private readonly seconds = PROGRAM_URL_SECONDS,
  ) {}

  async openForProgram(id: string): Promise<ProgramInput | null> {
    const item = await this.repository.find(id);
    if (item === null) return null;
    const command = new GetObjectCommand({ Bucket: this.location.bucket, Key: `${this.location.prefix}${id}` });
    const url = await getSignedUrl(this.client, command, { expiresIn: this.seconds });
    return { kind: 'url', url, item, close: () => Promise.resolve() };
  }
}
