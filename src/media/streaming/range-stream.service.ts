import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import contentDisposition from 'content-disposition';
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Readable, finished } from 'node:stream';
import { ApiError } from '../../common/api-error.js';
import { sendErrorResponse } from '../../common/error-response.js';
import { BufferedFile } from './buffered-file.js';
import { MediaChangedError } from '../storage/media-errors.js';
import { MEDIA_OPTIONS, type MediaOptions } from '../media-options.js';
import { BUFFERED_BODY_MAX_BYTES, MEDIA_REPOSITORY, type MediaItem, type MediaRepository, type MediaSource } from '../storage/media.repository.js';
import { MultipartPlan } from '../http/multipart.js';
import { storageErrorToHttp } from '../storage/storage-error.mapping.js';
import { StreamDecision, StreamRequestHeaders, decideStream } from '../http/stream-decision.js';

/** nginx's default `max_ranges` is unlimited; the contract lets us stop at 100. */
export const MAX_RANGES = 100;

export interface StreamRequest {
  id: string;
  method: 'GET' | 'HEAD';
  headers: StreamRequestHeaders;
  download: boolean;
}

export interface StreamResponse {
  status: StreamDecision['status'];
  headers: Record<string, string>;
  /** Present only for a GET that sends bytes. */
  body: StreamableFile | null;
}

/** Turns a request for an item's bytes into the status, headers and body. */
@Injectable()
export class RangeStreamService {
  constructor(
    @Inject(MEDIA_REPOSITORY) private readonly repository: MediaRepository,
    @Inject(MEDIA_OPTIONS) private readonly options: MediaOptions,
  ) {}

  async stream(request: StreamRequest): Promise<StreamResponse> {
    try {
      return await this.attempt(request);
    } catch (error) {
      // The item was replaced between its metadata and its bytes: once more,
      // from the start, so the answer describes the new version throughout.
      if (!(error instanceof MediaChangedError)) throw storageErrorToHttp(error);
    }
    try {
      return await this.attempt(request);
    } catch (error) {
      throw storageErrorToHttp(error);
    }
  }

  private async attempt(request: StreamRequest): Promise<StreamResponse> {
    if (request.method === 'HEAD') {
      // HEAD needs metadata only: no bytes are read.
      const item = await this.repository.find(request.id);
      if (item === null) throw notFound();
      const decision = this.decide(item, request);
      return { status: decision.status, headers: decision.headers, body: null };
    }
    const source = await this.repository.open(request.id);
    if (source === null) throw notFound();
    let body: StreamableFile | null = null;
    try {
      const decision = this.decide(source.item, request);
      body = await this.body(source, decision);
      return { status: decision.status, headers: decision.headers, body };
    } finally {
      // A streamed body releases the item itself when it ends (see body()).
      if (body === null || body instanceof BufferedFile) await source.close();
    }
  }

  private decide(item: MediaItem, request: StreamRequest): StreamDecision {
    return decideStream(item, request.headers, {
      maxRanges: MAX_RANGES,
      maxOpenEndedBytes: this.options.maxRangeBytes,
      cacheMaxAge: this.options.cacheMaxAge,
      disposition: request.download ? attachment(item.name) : null,
      boundary: () => randomBytes(12).toString('hex'),
      now: new Date(),
    });
  }

  private async body(source: MediaSource, decision: StreamDecision): Promise<StreamableFile | null> {
    const { body, headers } = decision;
    if (body.kind === 'none') {
      return null;
    }
    const options = { type: headers['Content-Type'], length: Number(headers['Content-Length']) };
    const { start, end } = body.kind === 'single' ? body.range : body.plan.parts[0].range;
    if (body.kind === 'single' && end - start < BUFFERED_BODY_MAX_BYTES && source.readBuffer !== undefined) {
      return new BufferedFile(await source.readBuffer(start, end), options).setErrorHandler(answerStreamError);
    }
    // The first read is awaited here, before any header is sent, so that a
    // failure to start still gets a status code of its own.
    const first = await source.read(start, end);
    const stream =
      body.kind === 'single' ? first : Readable.from(multipartChunks(source, body.plan, first), { objectMode: false });
    // Releases the item when the body ends, fails, or is destroyed because
    // the client went away (Nest destroys the stream then). The first part of
    // a multipart body is destroyed too: an abort before the body starts
    // never reaches the generator that would otherwise consume it.
    finished(stream, () => {
      first.destroy();
      void source.close();
    });
    return new StreamableFile(stream, options).setErrorHandler(answerStreamError);
  }
}

/**
 * A body that fails before its first byte is sent (the file shrank under a
 * large range) still gets the contract's JSON, uncacheable; Nest's default
 * would send a text 400 carrying the media's cache headers. Once bytes are out,
 * only cutting the connection tells the client the body is incomplete.
 */
const answerStreamError: Parameters<StreamableFile['setErrorHandler']>[0] = (_error, response) => {
  // Nest hands over the Express response, typed as its minimal interface.
  const res = response as unknown as ServerResponse;
  if (res.destroyed) {
    return;
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // The media's headers go; CORS's and the request ID stay, so a player on
  // another origin can read the error and its log line can be found.
  for (const name of res.getHeaderNames()) {
    if (!name.startsWith('access-control-') && name !== 'vary' && name !== 'x-request-id') res.removeHeader(name);
  }
  res.setHeader('Cache-Control', 'no-store');
  sendErrorResponse(res, 503, new ApiError(503, 'The media item changed while it was read; try again.'));
};

function notFound(): ApiError {
  return new ApiError(404, 'No media has this ID.');
}

/**
 * RFC 6266 with an ASCII `filename` for every client and, for any other name,
 * `filename*` (RFC 8187) with the real one. The library alone would send a
 * Latin-1 name such as "ünï" raw in `filename`, which clients decode unevenly.
 */
export function attachment(name: string): string {
  return contentDisposition(name, { fallback: name.replace(/[^\x20-\x7e]/g, '_') });
}

async function* multipartChunks(source: MediaSource, plan: MultipartPlan, first: Readable): AsyncGenerator<Buffer> {
  for (const [index, part] of plan.parts.entries()) {
    yield Buffer.from(part.head, 'latin1');
    const bytes = index === 0 ? first : await source.read(part.range.start, part.range.end);
    for await (const chunk of bytes) {
      yield chunk as Buffer;
    }
  }
  yield Buffer.from(plan.tail, 'latin1');
}
