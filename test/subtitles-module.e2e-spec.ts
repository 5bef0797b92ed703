/**
 * SubtitlesModule in another application, beside MediaModule with storage of
 * its own: the `sidecarStore` extra binds SIDECAR_STORE, and without it a
 * custom repository's items have no tracks (404, never 5xx).
 */
import 'reflect-metadata';
import { Injectable, type DynamicModule } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AddressInfo } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { ApiExceptionFilter } from '../src/common/api-exception.filter.js';
import { SubtitlesModule } from '../src/derive/subtitles/subtitles.module.js';
import { MediaModule, type MediaItem, type MediaRepository, type MediaSource, type SidecarStore, type StoredFile } from '../src/media/index.js';
import { fetchBytes } from './support/http.js';

const MODIFIED = new Date('2024-05-06T07:08:09.000Z');
const MEMORY: Record<string, Buffer> = {
  'clip.mp4': Buffer.from('not really media'),
  'clip.en.srt': Buffer.from('1\r\n00:00:00,000 --> 00:00:01,000\r\nFrom memory\r\n'),
};

function describeFile(id: string): MediaItem {
  return { id, name: id, size: MEMORY[id].length, modifiedAt: MODIFIED, etag: `"mem-${id}"`, mimeType: 'application/octet-stream' };
}

function sourceOf(id: string): MediaSource {
  return {
    item: describeFile(id),
    read: (start: number, end: number): Promise<Readable> => {
      const stream = new PassThrough();
      stream.end(MEMORY[id].subarray(start, end + 1));
      return Promise.resolve(stream);
    },
    close: () => Promise.resolve(),
  };
}

@Injectable()
class MemoryRepository implements MediaRepository {
  list(): Promise<MediaItem[]> {
    return Promise.resolve([describeFile('clip.mp4')]);
  }
  find(id: string): Promise<MediaItem | null> {
    return Promise.resolve(id === 'clip.mp4' ? describeFile(id) : null);
  }
  open(id: string): Promise<MediaSource | null> {
    return Promise.resolve(id === 'clip.mp4' ? sourceOf(id) : null);
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
}

@Injectable()
class MemorySidecarStore implements SidecarStore {
  findSidecars(itemId: string): Promise<StoredFile[]> {
    return Promise.resolve(itemId === 'clip.mp4' ? [describeFile('clip.en.srt')] : []);
  }
  openSidecar(sidecarId: string): Promise<MediaSource | null> {
    return Promise.resolve(sidecarId === 'clip.en.srt' ? sourceOf(sidecarId) : null);
  }
}

async function startWith(media: DynamicModule): Promise<{ app: NestExpressApplication; baseUrl: string }> {
  const moduleRef = await Test.createTestingModule({ imports: [media, SubtitlesModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
  app.useLogger(false);
  app.useGlobalFilters(new ApiExceptionFilter());
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

describe.each([
  ['with the sidecarStore extra', { sidecarStore: MemorySidecarStore }, 200],
  ['without it', {}, 404],
])('SubtitlesModule beside MediaModule.forRoot({ repository }) %s', (_name, extras, expected) => {
  let started: { app: NestExpressApplication; baseUrl: string };
  beforeAll(async () => {
    started = await startWith(MediaModule.forRoot({ cacheMaxAge: 60, repository: MemoryRepository, ...extras }));
  });
  afterAll(async () => {
    await started?.app.close();
  });

  it(`answers ${expected} for the en track`, async () => {
    const res = await fetchBytes(started.baseUrl, '/api/videos/clip.mp4/subtitles/en');
    expect(res.status).toBe(expected);
    if (expected === 200) {
      expect(res.body.toString()).toBe('WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nFrom memory\n');
      expect(res.headers['cache-control']).toBe('public, max-age=60');
    } else {
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });
});
