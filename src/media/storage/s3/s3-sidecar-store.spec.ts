import { HeadObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException, type _Object } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { MediaStorageUnavailableError } from '../media-errors.js';
import { S3SidecarStore } from './s3-sidecar-store.js';

const s3 = mockClient(S3Client);
const BUCKET = 'media-bucket';
const MODIFIED = new Date('2024-03-01T12:00:00.000Z');

function store(): S3SidecarStore {
  return new S3SidecarStore(new S3Client({ region: 'us-east-1' }), { bucket: BUCKET, prefix: 'lib/' });
}

function object(key: string): _Object {
  return { Key: key, Size: 12, ETag: '"abc"', LastModified: MODIFIED };
}

function serviceError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });
}

afterEach(() => {
  s3.reset();
});

describe('S3SidecarStore.findSidecars', () => {
  it("asks one listing with the item's stem as prefix and `/` as delimiter, and keeps only its sidecars", async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        object('lib/shows/clip.mp4'),
        object('lib/shows/clip.en.vtt'),
        object('lib/shows/clip.srt'),
        object('lib/shows/clip2.vtt'),
        object('lib/shows/clip.txt'),
        { Key: 'lib/shows/clip.fr.vtt' },
      ],
      IsTruncated: false,
    });
    const found = await store().findSidecars('shows/clip.mp4');
    expect(found.map((file) => file.id)).toEqual(['shows/clip.en.vtt', 'shows/clip.srt']);
    expect(found[0]).toMatchObject({ size: 12, etag: '"abc"', mimeType: 'text/vtt' });
    const calls = s3.commandCalls(ListObjectsV2Command);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({ Bucket: BUCKET, Prefix: 'lib/shows/clip', Delimiter: '/', ContinuationToken: undefined });
  });

  it('follows continuation pages', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({ Contents: [object('lib/a.vtt')], IsTruncated: true, NextContinuationToken: 't' });
    s3.on(ListObjectsV2Command, { ContinuationToken: 't' }).resolves({ Contents: [object('lib/a.en.srt')], IsTruncated: false });
    expect((await store().findSidecars('a.mp4')).map((file) => file.id)).toEqual(['a.vtt', 'a.en.srt']);
  });

  it('never lists for a malformed or hidden item ID', async () => {
    expect(await store().findSidecars('../a.mp4')).toEqual([]);
    expect(await store().findSidecars('.a.mp4')).toEqual([]);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(0);
  });

  it('reports a failed listing as storage unavailable', async () => {
    s3.on(ListObjectsV2Command).rejects(serviceError('InternalError', 500));
    await expect(store().findSidecars('a.mp4')).rejects.toBeInstanceOf(MediaStorageUnavailableError);
  });
});

describe('S3SidecarStore.openSidecar', () => {
  it('describes the object from HeadObject', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 5, ETag: 'abc', LastModified: MODIFIED });
    const source = await store().openSidecar('shows/clip.en.vtt');
    expect(source?.item).toMatchObject({ id: 'shows/clip.en.vtt', size: 5, etag: '"abc"', mimeType: 'text/vtt' });
    expect(s3.commandCalls(HeadObjectCommand)[0].args[0].input).toEqual({ Bucket: BUCKET, Key: 'lib/shows/clip.en.vtt' });
    await source?.close();
  });

  it('answers null for a missing object', async () => {
    s3.on(HeadObjectCommand).rejects(serviceError('NotFound', 404));
    expect(await store().openSidecar('clip.vtt')).toBeNull();
  });

  it.each(['clip.mp4', '.clip.vtt', 'a/../clip.vtt', 'clip.txt'])('never asks storage for %s', async (id) => {
    expect(await store().openSidecar(id)).toBeNull();
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });
});
