import { GetObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { MediaChangedError, MediaStorageUnavailableError } from '../media-errors.js';
import type { MediaItem, MediaSource } from '../media.repository.js';
import { isChanged, isMissing, unavailable } from './s3-errors.js';

/** One object, pinned to the version whose metadata was announced. */
export class S3MediaSource implements MediaSource {
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
