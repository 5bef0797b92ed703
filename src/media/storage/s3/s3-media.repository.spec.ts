import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
  type GetObjectCommandOutput,
  type _Object,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { PassThrough, Readable } from 'node:stream';
import { ApiError } from '../../../common/api-error.js';
import { MediaChangedError, MediaStorageUnavailableError } from '../media-errors.js';
import type { MediaSource } from '../media.repository.js';
import { LIST_TTL_MS, S3MediaRepository } from './s3-media.repository.js';
import { storageErrorToHttp } from '../storage-error.mapping.js';

const s3 = mockClient(S3Client);

const BUCKET = 'media-bucket';
const PREFIX = 'lib/';
const ETAG = '"0123456789abcdef0123456789abcdef"';
const MODIFIED = new Date('2024-03-01T12:00:00.000Z');
const SIZE = 100;
const BYTES = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 7 + 3) & 0xff));

function repository(prefix = PREFIX): S3MediaRepository {
  return new S3MediaRepository(new S3Client({ region: 'us-east-1' }), { bucket: BUCKET, prefix }, { extensions: ['mp4', 'webm'] });
}

/** An error as the SDK raises it for a service answer. */
function serviceError(name: string, status: number, message = `${name} from the server`): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
}

function object(key: string, overrides: Partial<_Object> = {}): _Object {
  return { Key: key, Size: 10, ETag: ETAG, LastModified: MODIFIED, ...overrides };
}

/** A body the test can inspect: PassThrough with `bytes` queued (ended unless `open`). */
function body(bytes: Buffer[] = [], open = false): PassThrough {
  const stream = new PassThrough();
  for (const chunk of bytes) stream.write(chunk);
  if (!open) stream.end();
  return stream;
}

function asBody(stream: Readable): GetObjectCommandOutput['Body'] {
  return stream as unknown as GetObjectCommandOutput['Body'];
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function headOk(): void {
  s3.on(HeadObjectCommand).resolves({ ContentLength: SIZE, ETag: ETAG, LastModified: MODIFIED });
}

async function openClip(repo = repository()): Promise<MediaSource> {
  const source = await repo.open('clip.mp4');
  if (source === null) throw new Error('expected clip.mp4 to open');
  return source;
}

/** The options (second argument) a GetObject call was sent with. */
function sendOptions(index: number): { abortSignal?: AbortSignal } {
  const args = s3.commandCalls(GetObjectCommand)[index].args as unknown[];
  return (args[1] ?? {}) as { abortSignal?: AbortSignal };
}

beforeEach(() => {
  s3.reset();
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('S3MediaRepository.list', () => {
  it('pages through the bucket with continuation tokens, below the prefix', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ IsTruncated: true, NextContinuationToken: 'token-1', Contents: [object('lib/a.mp4')] })
      .resolvesOnce({ IsTruncated: true, NextContinuationToken: 'token-2', Contents: [object('lib/b.webm')] })
      .resolvesOnce({ IsTruncated: false, Contents: [object('lib/c.mp4')] });
    const items = await repository().list();
    expect(items.map((item) => item.id)).toEqual(['a.mp4', 'b.webm', 'c.mp4']);
    const inputs = s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
    expect(inputs).toEqual([
      { Bucket: BUCKET, Prefix: PREFIX, ContinuationToken: undefined },
      { Bucket: BUCKET, Prefix: PREFIX, ContinuationToken: 'token-1' },
      { Bucket: BUCKET, Prefix: PREFIX, ContinuationToken: 'token-2' },
    ]);
  });

  it('stops when a page is not truncated, even if it carries a token', async () => {
    s3.on(ListObjectsV2Command).resolves({ IsTruncated: false, NextContinuationToken: 'ignored', Contents: [object('lib/a.mp4')] });
    expect((await repository().list()).map((item) => item.id)).toEqual(['a.mp4']);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(1);
  });

  it('strips the prefix and describes each item', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [object('lib/sub dir/ünï.webm', { Size: 1234, ETag: '"abc"' }), object('lib/bare.mp4', { ETag: 'no-quotes' })],
    });
    const items = await repository().list();
    expect(items).toEqual([
      { id: 'sub dir/ünï.webm', name: 'ünï.webm', size: 1234, modifiedAt: MODIFIED, etag: '"abc"', mimeType: 'video/webm' },
      // Some S3-compatible servers send the ETag without its quotes.
      { id: 'bare.mp4', name: 'bare.mp4', size: 10, modifiedAt: MODIFIED, etag: '"no-quotes"', mimeType: 'video/mp4' },
    ]);
  });

  it('works without a prefix', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [object('top.mp4'), object('dir/inner.MP4')] });
    expect((await repository('').list()).map((item) => item.id)).toEqual(['top.mp4', 'dir/inner.MP4']);
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input.Prefix).toBe('');
  });

  it('leaves out hidden, non-media, malformed and incomplete keys', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        object('lib/ok.mp4'),
        object('lib/.hidden.mp4'),
        object('lib/.dotdir/inner.mp4'),
        object('lib/sub/.hidden.webm'),
        object('lib/notes.txt'),
        object('lib/no-extension'),
        object('lib/folder/'), // a "folder" marker: empty last segment
        object('lib/a//b.mp4'),
        object('lib/../escape.mp4'),
        object('lib/./dot.mp4'),
        object('lib/back\\slash.mp4'),
        object('lib/ctl\u0001.mp4'),
        object('lib/del\u007f.mp4'),
        object(`lib/${'é'.repeat(520)}.mp4`),
        object('lib/no-size.mp4', { Size: undefined }),
        object('lib/no-etag.mp4', { ETag: undefined }),
        object('lib/no-date.mp4', { LastModified: undefined }),
        { Size: 1, ETag: ETAG, LastModified: MODIFIED },
        object('lib/sub/fine.webm'),
      ],
    });
    expect((await repository().list()).map((item) => item.id)).toEqual(['ok.mp4', 'sub/fine.webm']);
  });

  it('treats a page without Contents as empty', async () => {
    s3.on(ListObjectsV2Command).resolves({});
    expect(await repository().list()).toEqual([]);
  });

  it(`reuses a listing for LIST_TTL_MS (${LIST_TTL_MS} ms), then lists again`, async () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [object('lib/first.mp4')] })
      .resolvesOnce({ Contents: [object('lib/second.mp4')] });
    const repo = repository();
    expect((await repo.list()).map((item) => item.id)).toEqual(['first.mp4']);
    now += LIST_TTL_MS - 1;
    expect((await repo.list()).map((item) => item.id)).toEqual(['first.mp4']);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(1);
    now += 1;
    expect((await repo.list()).map((item) => item.id)).toEqual(['second.mp4']);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(2);
  });

  it('shares one listing between concurrent callers', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [object('lib/a.mp4')] });
    const repo = repository();
    const [a, b, c] = await Promise.all([repo.list(), repo.list(), repo.list()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(1);
  });

  it('maps a failure to MediaStorageUnavailableError and does not cache it', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(5_000_000);
    s3.on(ListObjectsV2Command)
      .rejectsOnce(serviceError('InternalError', 500, 'backend at 10.0.0.7:9000 exploded'))
      .resolves({ Contents: [object('lib/a.mp4')] });
    const repo = repository();
    await expect(repo.list()).rejects.toBeInstanceOf(MediaStorageUnavailableError);
    // Same instant: a cached failure would be returned again.
    expect((await repo.list()).map((item) => item.id)).toEqual(['a.mp4']);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(2);
  });

  it('fails as a whole when a later page fails', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ IsTruncated: true, NextContinuationToken: 't', Contents: [object('lib/a.mp4')] })
      .rejectsOnce(new Error('socket hang up'));
    await expect(repository().list()).rejects.toBeInstanceOf(MediaStorageUnavailableError);
  });
});

describe('S3MediaRepository.find', () => {
  it('heads the object under the prefix and describes it', async () => {
    headOk();
    expect(await repository().find('sub/clip.mp4')).toEqual({
      id: 'sub/clip.mp4',
      name: 'clip.mp4',
      size: SIZE,
      modifiedAt: MODIFIED,
      etag: ETAG,
      mimeType: 'video/mp4',
    });
    expect(s3.commandCalls(HeadObjectCommand)[0].args[0].input).toEqual({ Bucket: BUCKET, Key: 'lib/sub/clip.mp4' });
  });

  it('quotes an ETag sent without quotes', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 1, ETag: 'abc', LastModified: MODIFIED });
    expect((await repository().find('a.mp4'))?.etag).toBe('"abc"');
  });

  it.each([
    ['NoSuchKey', serviceError('NoSuchKey', 404)],
    ['NotFound', serviceError('NotFound', 404)],
    ['a bare 404 (HEAD answers have no body to name the error)', serviceError('UnknownError', 404)],
    ['a NotFound without status', Object.assign(new Error('not found'), { name: 'NotFound' })],
  ])('%s → null', async (_label, error) => {
    s3.on(HeadObjectCommand).rejects(error);
    expect(await repository().find('gone.mp4')).toBeNull();
  });

  it.each([
    ['a 500', serviceError('InternalError', 500)],
    ['a 403', serviceError('AccessDenied', 403)],
    ['a network error', Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:9000'), { code: 'ECONNREFUSED' })],
  ])('%s → MediaStorageUnavailableError', async (_label, error) => {
    s3.on(HeadObjectCommand).rejects(error);
    await expect(repository().find('clip.mp4')).rejects.toBeInstanceOf(MediaStorageUnavailableError);
  });

  it('an answer without size, ETag or date → MediaStorageUnavailableError', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: SIZE, LastModified: MODIFIED });
    await expect(repository().find('clip.mp4')).rejects.toBeInstanceOf(MediaStorageUnavailableError);
  });

  it("never lets the SDK's message reach a client", async () => {
    const leaky = 'connect ECONNREFUSED 10.1.2.3:9000 /var/lib/secret';
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error(leaky), { code: 'ECONNREFUSED' }));
    const error = await repository().find('clip.mp4').then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(MediaStorageUnavailableError);
    const answer = storageErrorToHttp(error);
    expect(answer).toBeInstanceOf(ApiError);
    const api = answer as ApiError;
    expect(api.getStatus()).toBe(503);
    expect(api.publicMessage).toBe('The media storage is unavailable; try again later.');
    expect(JSON.stringify(api.getResponse())).not.toContain('ECONNREFUSED');
    expect(JSON.stringify(api.getResponse())).not.toContain('10.1.2.3');
  });

  it.each([
    ['a hidden file', '.hidden.mp4'],
    ['a file in a dot-folder', '.dir/a.mp4'],
    ['a non-media extension', 'notes.txt'],
    ['a ".." segment', '../escape.mp4'],
    ['an empty segment', 'a//b.mp4'],
    ['a backslash', 'a\\b.mp4'],
  ])('%s → null without asking S3', async (_label, id) => {
    headOk();
    expect(await repository().find(id)).toBeNull();
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('S3MediaRepository.open and MediaSource.read', () => {
  beforeEach(() => {
    headOk();
  });

  it('answers null for a missing object', async () => {
    s3.on(HeadObjectCommand).rejects(serviceError('NotFound', 404));
    expect(await repository().open('nope.mp4')).toBeNull();
  });

  it('sends Range bytes=a-b and If-Match with the announced ETag, and returns the body of an exact answer', async () => {
    const answer = body([BYTES.subarray(10, 20)]);
    s3.on(GetObjectCommand).resolves({ Body: asBody(answer), ContentRange: `bytes 10-19/${SIZE}`, ContentLength: 10 });
    const source = await openClip();
    expect(source.item.etag).toBe(ETAG);
    const stream = await source.read(10, 19);
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: BUCKET,
      Key: 'lib/clip.mp4',
      Range: 'bytes=10-19',
      IfMatch: ETAG,
    });
    expect(stream).toBe(answer);
    expect(await collect(stream)).toEqual(BYTES.subarray(10, 20));
    await source.close();
  });

  it('sends explicit ranges only, for the first and the last byte too', async () => {
    s3.on(GetObjectCommand).callsFake((input: { Range: string }) => {
      const [start, end] = input.Range.replace('bytes=', '').split('-').map(Number);
      return { Body: asBody(body([BYTES.subarray(start, end + 1)])), ContentRange: `bytes ${start}-${end}/${SIZE}` };
    });
    const source = await openClip();
    expect(await collect(await source.read(0, 0))).toEqual(BYTES.subarray(0, 1));
    expect(await collect(await source.read(SIZE - 1, SIZE - 1))).toEqual(BYTES.subarray(SIZE - 1));
    expect(await collect(await source.read(0, SIZE - 1))).toEqual(BYTES);
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Range)).toEqual([
      'bytes=0-0',
      `bytes=${SIZE - 1}-${SIZE - 1}`,
      `bytes=0-${SIZE - 1}`,
    ]);
    await source.close();
  });

  it("cuts the asked bytes out of a larger answer (s3rver sends the whole object for bytes=0-0) and destroys it", async () => {
    const whole = body([BYTES]);
    s3.on(GetObjectCommand).resolves({ Body: asBody(whole), ContentRange: `bytes 0-${SIZE - 1}/${SIZE}`, ContentLength: SIZE });
    const source = await openClip();
    const stream = await source.read(0, 0);
    expect(await collect(stream)).toEqual(BYTES.subarray(0, 1));
    expect(whole.destroyed).toBe(true);
    await source.close();
  });

  it('slices a superset that arrives in several chunks, across chunk borders', async () => {
    const chunks = [BYTES.subarray(0, 7), BYTES.subarray(7, 8), BYTES.subarray(8, 40), BYTES.subarray(40)];
    const larger = body(chunks);
    s3.on(GetObjectCommand).resolves({ Body: asBody(larger), ContentRange: `bytes 0-${SIZE - 1}/${SIZE}` });
    const source = await openClip();
    expect(await collect(await source.read(5, 41))).toEqual(BYTES.subarray(5, 42));
    expect(larger.destroyed).toBe(true);
    await source.close();
  });

  it('slices a superset that starts before the range (a server rounding ranges down)', async () => {
    s3.on(GetObjectCommand).resolves({ Body: asBody(body([BYTES.subarray(16, 64)])), ContentRange: `bytes 16-63/${SIZE}` });
    const source = await openClip();
    expect(await collect(await source.read(20, 29))).toEqual(BYTES.subarray(20, 30));
    await source.close();
  });

  it('accepts a 200 answer without Content-Range when it is the whole object, and cuts it', async () => {
    s3.on(GetObjectCommand).resolves({ Body: asBody(body([BYTES])), ContentLength: SIZE });
    const source = await openClip();
    expect(await collect(await source.read(90, 99))).toEqual(BYTES.subarray(90, 100));
    await source.close();
  });

  it.each([
    ['PreconditionFailed', serviceError('PreconditionFailed', 412)],
    ['a bare 412', serviceError('UnknownError', 412)],
    ['InvalidRange (the object shrank)', serviceError('InvalidRange', 416)],
    ['NoSuchKey (the object was deleted)', serviceError('NoSuchKey', 404)],
  ])('%s → MediaChangedError', async (_label, error) => {
    s3.on(GetObjectCommand).rejects(error);
    const source = await openClip();
    await expect(source.read(0, 9)).rejects.toBeInstanceOf(MediaChangedError);
    await source.close();
  });

  it('another failure → MediaStorageUnavailableError', async () => {
    s3.on(GetObjectCommand).rejects(serviceError('SlowDown', 503));
    const source = await openClip();
    await expect(source.read(0, 9)).rejects.toBeInstanceOf(MediaStorageUnavailableError);
    await source.close();
  });

  it('an answer without a body stream → MediaStorageUnavailableError', async () => {
    s3.on(GetObjectCommand).resolves({ ContentRange: `bytes 0-9/${SIZE}` });
    const source = await openClip();
    await expect(source.read(0, 9)).rejects.toBeInstanceOf(MediaStorageUnavailableError);
    await source.close();
  });

  it.each([
    ['another size (the object changed)', `bytes 10-19/${SIZE + 1}`],
    ['a range that starts after the asked one', `bytes 11-19/${SIZE}`],
    ['a range that ends before the asked one', `bytes 10-18/${SIZE}`],
    ['an unparsable Content-Range', 'bytes 10-19/*'],
    ['another unit', `items 10-19/${SIZE}`],
  ])('a mismatched Content-Range (%s) → MediaChangedError, and the body is destroyed', async (_label, contentRange) => {
    const answer = body([BYTES.subarray(10, 20)], true);
    s3.on(GetObjectCommand).resolves({ Body: asBody(answer), ContentRange: contentRange });
    const source = await openClip();
    await expect(source.read(10, 19)).rejects.toBeInstanceOf(MediaChangedError);
    expect(answer.destroyed).toBe(true);
    await source.close();
  });

  it('no Content-Range and a length other than the object size → MediaChangedError, body destroyed', async () => {
    const answer = body([BYTES.subarray(0, 50)], true);
    s3.on(GetObjectCommand).resolves({ Body: asBody(answer), ContentLength: 50 });
    const source = await openClip();
    await expect(source.read(0, 9)).rejects.toBeInstanceOf(MediaChangedError);
    expect(answer.destroyed).toBe(true);
    await source.close();
  });

  it('close() destroys every body still open, and only once is needed', async () => {
    const bodies: PassThrough[] = [];
    s3.on(GetObjectCommand).callsFake((input: { Range: string }) => {
      const [start, end] = input.Range.replace('bytes=', '').split('-').map(Number);
      const answer = body([BYTES.subarray(start, end + 1)], true);
      bodies.push(answer);
      return { Body: asBody(answer), ContentRange: `bytes ${start}-${end}/${SIZE}` };
    });
    const source = await openClip();
    const first = await source.read(0, 9);
    const second = await source.read(20, 29);
    expect(first).toBe(bodies[0]);
    expect(second).toBe(bodies[1]);
    expect(bodies.map((answer) => answer.destroyed)).toEqual([false, false]);
    await source.close();
    expect(bodies.map((answer) => answer.destroyed)).toEqual([true, true]);
    await expect(source.close()).resolves.toBeUndefined();
  });

  it('close() destroys the body under a sliced answer that was never read', async () => {
    const whole = body([BYTES], true);
    s3.on(GetObjectCommand).resolves({ Body: asBody(whole), ContentRange: `bytes 0-${SIZE - 1}/${SIZE}` });
    const source = await openClip();
    await source.read(0, 0);
    expect(whole.destroyed).toBe(false);
    await source.close();
    expect(whole.destroyed).toBe(true);
  });

  it('close() leaves alone bodies that were read to the end', async () => {
    const answer = body([BYTES.subarray(0, 10)]);
    s3.on(GetObjectCommand).resolves({ Body: asBody(answer), ContentRange: `bytes 0-9/${SIZE}` });
    const source = await openClip();
    expect(await collect(await source.read(0, 9))).toEqual(BYTES.subarray(0, 10));
    await source.close();
    expect(answer.readableEnded).toBe(true);
  });

  it('close() aborts a request in flight; a body that still arrives is destroyed and the read fails', async () => {
    let answer: (value: GetObjectCommandOutput) => void = () => undefined;
    s3.on(GetObjectCommand).callsFake(
      () =>
        new Promise<GetObjectCommandOutput>((resolve) => {
          answer = resolve;
        }),
    );
    const source = await openClip();
    const reading = source.read(0, 9);
    // Let read() reach send().
    await new Promise((resolve) => setImmediate(resolve));
    const signal = sendOptions(0).abortSignal;
    expect(signal).toBeDefined();
    expect(signal?.aborted).toBe(false);
    await source.close();
    expect(signal?.aborted).toBe(true);
    const late = body([BYTES.subarray(0, 10)], true);
    answer({ Body: asBody(late), ContentRange: `bytes 0-9/${SIZE}`, $metadata: {} });
    await expect(reading).rejects.toBeInstanceOf(MediaChangedError);
    expect(late.destroyed).toBe(true);
  });

  it('a read after close() is sent with an aborted signal and its body is destroyed', async () => {
    const answer = body([BYTES.subarray(0, 10)], true);
    s3.on(GetObjectCommand).resolves({ Body: asBody(answer), ContentRange: `bytes 0-9/${SIZE}` });
    const source = await openClip();
    await source.close();
    await expect(source.read(0, 9)).rejects.toBeInstanceOf(MediaChangedError);
    expect(sendOptions(0).abortSignal?.aborted).toBe(true);
    expect(answer.destroyed).toBe(true);
  });

  it('sources are independent: closing one leaves the other reading', async () => {
    const bodies: PassThrough[] = [];
    s3.on(GetObjectCommand).callsFake(() => {
      const answer = body([BYTES.subarray(0, 10)], true);
      bodies.push(answer);
      return { Body: asBody(answer), ContentRange: `bytes 0-9/${SIZE}` };
    });
    const repo = repository();
    const one = await openClip(repo);
    const two = await openClip(repo);
    await one.read(0, 9);
    await two.read(0, 9);
    await one.close();
    expect(bodies.map((answer) => answer.destroyed)).toEqual([true, false]);
    expect(sendOptions(1).abortSignal?.aborted).toBe(false);
    await two.close();
  });
});

describe('S3MediaRepository.ping and shutdown', () => {
  it('ping() heads the bucket', async () => {
    s3.on(HeadBucketCommand).resolves({});
    await expect(repository().ping()).resolves.toBeUndefined();
    expect(s3.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({ Bucket: BUCKET });
  });

  it('ping() rejects with MediaStorageUnavailableError when the bucket cannot be reached', async () => {
    s3.on(HeadBucketCommand).rejects(serviceError('NotFound', 404));
    await expect(repository().ping()).rejects.toBeInstanceOf(MediaStorageUnavailableError);
  });

  it('onApplicationShutdown() destroys the client', () => {
    const client = new S3Client({ region: 'us-east-1' });
    const destroy = jest.spyOn(client, 'destroy');
    new S3MediaRepository(client, { bucket: BUCKET, prefix: '' }, { extensions: ['mp4'] }).onApplicationShutdown();
    expect(destroy).toHaveBeenCalledTimes(1);
  });
});
