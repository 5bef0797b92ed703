/**
 * MediaModule as another application imports it: `forRoot` with options and
 * a repository class of its own (the `repository` extra, passed in the same
 * object as the options), and `forRootAsync` with the built-in file-system
 * storage. Real HTTP, bodies compared byte for byte.
 */
import 'reflect-metadata';
import { Injectable, type DynamicModule } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdir, writeFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { ApiExceptionFilter } from '../src/common/api-exception.filter.js';
import {
  MEDIA_OPTIONS,
  MEDIA_REPOSITORY,
  MediaModule,
  type MediaItem,
  type MediaOptions,
  type MediaRepository,
  type MediaSource,
} from '../src/media/index.js';
import { BytesResponse, expectBytes, fetchBytes, header, patternBytes } from './support/http.js';
import { boundaryOf, parseByteRanges } from './support/multipart.js';
import { makeMediaRoot, removeRoot } from './support/test-app.js';

const MODIFIED = new Date('2024-05-06T07:08:09.000Z');

/** What the in-memory repository holds, by ID. */
const MEMORY: Record<string, Buffer> = {
  'memory clip.mp4': patternBytes(70_000, 21),
  'nested/second.mp4': patternBytes(1234, 22),
  // Not media for `extensions: ['mp4']`: the repository still must not serve it.
  'other.webm': patternBytes(10, 23),
};

/** Every range the in-memory repository was asked for, to show its reads are used. */
const memoryReads: Array<[string, number, number]> = [];

/** A repository of the application's own, bound through the `repository` extra. */
@Injectable()
class MemoryRepository implements MediaRepository {
  list(): Promise<MediaItem[]> {
    return Promise.resolve(
      Object.keys(MEMORY)
        .filter((id) => id.endsWith('.mp4'))
        .map((id) => this.item(id)),
    );
  }

  find(id: string): Promise<MediaItem | null> {
    return Promise.resolve(id.endsWith('.mp4') && id in MEMORY ? this.item(id) : null);
  }

  async open(id: string): Promise<MediaSource | null> {
    const item = await this.find(id);
    if (item === null) return null;
    const bytes = MEMORY[id];
    return {
      item,
      read: (start: number, end: number): Promise<Readable> => {
        memoryReads.push([id, start, end]);
        const stream = new PassThrough();
        stream.end(bytes.subarray(start, end + 1));
        return Promise.resolve(stream);
      },
      close: () => Promise.resolve(),
    };
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  private item(id: string): MediaItem {
    const name = id.slice(id.lastIndexOf('/') + 1);
    return { id, name, size: MEMORY[id].length, modifiedAt: MODIFIED, etag: `"mem-${MEMORY[id].length}"`, mimeType: 'video/mp4' };
  }
}

interface Started {
  app: NestExpressApplication;
  baseUrl: string;
}

/** Another application: only MediaModule, wired with the service's error filter. */
async function startWith(module: DynamicModule): Promise<Started> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
  app.useLogger(false);
  app.useGlobalFilters(new ApiExceptionFilter());
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}

function streamPath(id: string): string {
  return `/api/videos/${encodeURIComponent(id)}/stream`;
}



interface ListView {
  items: Array<{ id: string; size: number; etag: string; streamUrl: string; modifiedAt: string }>;
  total: number;
  limit: number;
  offset: number;
}

function json<T>(res: BytesResponse): T {
  return JSON.parse(res.body.toString('utf8')) as T;
}

describe('MediaModule.forRoot({ ...options, repository: MemoryRepository })', () => {
  let started: Started;

  beforeAll(async () => {
    started = await startWith(MediaModule.forRoot({ extensions: ['mp4'], cacheMaxAge: 60, repository: MemoryRepository }));
  });
  afterAll(async () => {
    await started?.app.close();
  });

  it('binds the class given as the repository extra, and resolves the options beside it', () => {
    expect(started.app.get(MEDIA_REPOSITORY)).toBeInstanceOf(MemoryRepository);
    const options = started.app.get<MediaOptions>(MEDIA_OPTIONS);
    expect(options.cacheMaxAge).toBe(60);
    expect(options.extensions).toEqual(['mp4']);
    // No storage was given: the custom repository needs none.
    expect(options.storage).toBeNull();
  });

  it('lists the repository items on /api/videos', async () => {
    const res = await fetchBytes(started.baseUrl, '/api/videos');
    expect(res.status).toBe(200);
    const body = json<ListView>(res);
    expect(body.total).toBe(2);
    expect(body.items.map((item) => item.id)).toEqual(['memory clip.mp4', 'nested/second.mp4']);
    expect(body.items[0]).toEqual(
      expect.objectContaining({
        size: 70_000,
        etag: '"mem-70000"',
        modifiedAt: MODIFIED.toISOString(),
        streamUrl: streamPath('memory clip.mp4'),
      }),
    );
  });

  it('serves item metadata, and 404 for what the repository does not have', async () => {
    const meta = await fetchBytes(started.baseUrl, `/api/videos/${encodeURIComponent('nested/second.mp4')}`);
    expect(meta.status).toBe(200);
    expect(json<{ size: number }>(meta).size).toBe(1234);
    const missing = await fetchBytes(started.baseUrl, streamPath('other.webm'));
    expect(missing.status).toBe(404);
    expect(json<{ statusCode: number }>(missing).statusCode).toBe(404);
  });

  it('streams the whole item with Cache-Control max-age=60', async () => {
    const res = await fetchBytes(started.baseUrl, streamPath('memory clip.mp4'));
    expect(res.status).toBe(200);
    expectBytes(res.body, MEMORY['memory clip.mp4']);
    expect(header(res, 'cache-control')).toBe('public, max-age=60');
    expect(header(res, 'etag')).toBe('"mem-70000"');
    expect(header(res, 'last-modified')).toBe(MODIFIED.toUTCString());
    expect(header(res, 'content-type')).toMatch(/^video\/mp4/);
  });

  it('serves one byte range through the repository read()', async () => {
    memoryReads.length = 0;
    const res = await fetchBytes(started.baseUrl, streamPath('memory clip.mp4'), { headers: { Range: 'bytes=65530-65545' } });
    expect(res.status).toBe(206);
    expect(header(res, 'content-range')).toBe('bytes 65530-65545/70000');
    expect(header(res, 'cache-control')).toBe('public, max-age=60');
    expectBytes(res.body, MEMORY['memory clip.mp4'].subarray(65530, 65546));
    expect(memoryReads).toEqual([['memory clip.mp4', 65530, 65545]]);
  });

  it('serves a suffix and several ranges (multipart/byteranges)', async () => {
    const source = MEMORY['memory clip.mp4'];
    const suffix = await fetchBytes(started.baseUrl, streamPath('memory clip.mp4'), { headers: { Range: 'bytes=-100' } });
    expect(suffix.status).toBe(206);
    expectBytes(suffix.body, source.subarray(source.length - 100));

    const multi = await fetchBytes(started.baseUrl, streamPath('memory clip.mp4'), { headers: { Range: 'bytes=0-9,500-599,-1' } });
    expect(multi.status).toBe(206);
    const parsed = parseByteRanges(multi.body, boundaryOf(header(multi, 'content-type')) ?? '');
    expect(parsed.closed).toBe(true);
    expect(parsed.parts.map((part) => [part.first, part.last])).toEqual([
      [0, 9],
      [500, 599],
      [source.length - 1, source.length - 1],
    ]);
    for (const part of parsed.parts) expectBytes(part.body, source.subarray(part.first, part.last + 1));
  });

  it('answers 304 with max-age=60 for a current ETag', async () => {
    const res = await fetchBytes(started.baseUrl, streamPath('nested/second.mp4'), { headers: { 'If-None-Match': '"mem-1234"' } });
    expect(res.status).toBe(304);
    expect(header(res, 'cache-control')).toBe('public, max-age=60');
  });
});

describe('MediaModule.forRootAsync({ useFactory: () => ({ storage: { kind: "fs", root } }) })', () => {
  const CLIP = patternBytes(100 * 1024, 31);
  const NESTED = patternBytes(3000, 32);
  let root: string;
  let started: Started;

  beforeAll(async () => {
    root = await makeMediaRoot();
    await writeFile(path.join(root, 'clip.mp4'), CLIP);
    await mkdir(path.join(root, 'sub dir'));
    await writeFile(path.join(root, 'sub dir', 'ünï.webm'), NESTED);
    await writeFile(path.join(root, 'notes.txt'), 'not media');
    const mediaRoot = root;
    started = await startWith(
      MediaModule.forRootAsync({
        useFactory: () => ({ storage: { kind: 'fs', root: mediaRoot }, cacheMaxAge: 60 }),
      }),
    );
  });
  afterAll(async () => {
    await started?.app.close();
    if (root !== undefined) await removeRoot(root);
  });

  it('lists the folder with the default extensions', async () => {
    const res = await fetchBytes(started.baseUrl, '/api/videos');
    expect(res.status).toBe(200);
    const body = json<ListView>(res);
    expect(body.items.map((item) => item.id)).toEqual(['clip.mp4', 'sub dir/ünï.webm']);
    expect(body.total).toBe(2);
    expect(body.items[0].size).toBe(CLIP.length);
  });

  it('streams whole files and byte ranges from the folder, with the options applied', async () => {
    const whole = await fetchBytes(started.baseUrl, streamPath('clip.mp4'));
    expect(whole.status).toBe(200);
    expectBytes(whole.body, CLIP);
    expect(header(whole, 'cache-control')).toBe('public, max-age=60');

    const part = await fetchBytes(started.baseUrl, streamPath('sub dir/ünï.webm'), { headers: { Range: 'bytes=2990-' } });
    expect(part.status).toBe(206);
    expect(header(part, 'content-range')).toBe(`bytes 2990-2999/${NESTED.length}`);
    expect(header(part, 'content-type')).toMatch(/^video\/webm/);
    expectBytes(part.body, NESTED.subarray(2990));

    const multi = await fetchBytes(started.baseUrl, streamPath('clip.mp4'), { headers: { Range: 'bytes=0-0,65530-65545' } });
    expect(multi.status).toBe(206);
    const parsed = parseByteRanges(multi.body, boundaryOf(header(multi, 'content-type')) ?? '');
    expect(parsed.parts.map((p) => [p.first, p.last])).toEqual([
      [0, 0],
      [65530, 65545],
    ]);
    for (const p of parsed.parts) expectBytes(p.body, CLIP.subarray(p.first, p.last + 1));
  });

  it('answers 404 JSON for a file that is not media and 416 past the end', async () => {
    const notMedia = await fetchBytes(started.baseUrl, streamPath('notes.txt'));
    expect(notMedia.status).toBe(404);
    expect(json<{ statusCode: number }>(notMedia).statusCode).toBe(404);
    const past = await fetchBytes(started.baseUrl, streamPath('clip.mp4'), { headers: { Range: `bytes=${CLIP.length}-` } });
    expect(past.status).toBe(416);
    expect(header(past, 'content-range')).toBe(`bytes */${CLIP.length}`);
  });
});
