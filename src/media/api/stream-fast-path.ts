import { Inject, Injectable, Logger, Optional, StreamableFile } from '@nestjs/common';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { type ParsedUrlQuery, parse as parseQuery } from 'node:querystring';
import { AccessService } from '../../access/access.service.js';
import { answerWithError } from '../../common/error-response.js';
import { onResponseDone } from '../../common/on-response-done.js';
import { BufferedFile } from '../streaming/buffered-file.js';
import { isSelfWriting } from '../storage/media.repository.js';
import { MEDIA_OPTIONS, type MediaOptions } from '../media-options.js';
import { RangeStreamService } from '../streaming/range-stream.service.js';
import { STREAM_REDIRECT, type StreamRedirect } from '../streaming/stream-redirect.js';
import { rejectionOf, toStreamRequest } from './stream-request.js';
import { STREAM_SEGMENT, VIDEOS_PATH } from './video.routes.js';

/** A connect-style middleware run before the fast path answers (CORS). */
export type PreHandler = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/** What the fast path reads off a request URL it takes. */
export interface StreamRoute {
  /** The ID, percent-decoded, not yet validated. */
  id: string;
  /** The `download` query value as Express's simple query parser gives it. */
  download: unknown;
  /** The whole query, parsed as Express's simple query parser does (for the access check). */
  query: ParsedUrlQuery;
}

const PREFIX = `/${VIDEOS_PATH}/`;
const SUFFIX = `/${STREAM_SEGMENT}`;
// What Express's URL parsing would read differently (a fragment, whitespace)
// is left to Express.
const UNUSUAL = /[#\s]/;

/**
 * `GET`/`HEAD /api/videos/:id/stream`, answered straight from Node's request
 * event, before Express and Nest's router see the request.
 *
 * Why: on this route every microsecond counts (a player's seeks, download
 * managers' parallel ranges), and profiles of 4 KiB ranges put about half of
 * the service's time in Express (its request and response prototypes make
 * Node's own HTTP code slower, and its router) and in Nest's handler pipeline,
 * none of which this route uses: no guards, pipes or interceptors. A bare Node
 * server answers 3x more such requests per second than the same handler
 * mounted in Express on this machine.
 *
 * It changes nothing else: the same RangeStreamService decides, the same
 * validation and error writer answer, so the bytes are those the
 * VideoController sends (an e2e test compares the two on every kind of
 * request). Only canonical spellings are taken; everything else (a trailing
 * slash, other case, a malformed escape, other methods) goes on to Express and
 * the controller, which stays the route for apps that import MediaModule
 * without this.
 */
@Injectable()
export class StreamFastPath {
  private readonly logger = new Logger(StreamFastPath.name);

  constructor(
    private readonly streams: RangeStreamService,
    @Inject(MEDIA_OPTIONS) private readonly options: MediaOptions,
    // Both absent in an app that imports MediaModule alone: public, proxied.
    @Optional() @Inject(AccessService) private readonly access: AccessService | null = null,
    @Optional() @Inject(STREAM_REDIRECT) private readonly redirect: StreamRedirect | null = null,
  ) {}

  /**
   * Puts the fast path in front of the server's one request listener (the
   * Express app). `before` runs first on every request the fast path takes,
   * as app-wide middleware (CORS) would have under Express.
   */
  install(server: Server, before: PreHandler | null = null): void {
    const listeners = server.listeners('request') as RequestListener[];
    if (listeners.length !== 1) {
      throw new Error(`StreamFastPath expects one request listener, found ${listeners.length}`);
    }
    const [fallback] = listeners;
    server.removeListener('request', fallback);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      let route: StreamRoute | null;
      try {
        route = matchStreamRoute(request.method, request.url);
      } catch {
        // Whatever this code did not foresee is Express's to answer.
        route = null;
      }
      if (route === null) {
        fallback(request, response);
      } else if (before === null) {
        void this.serve(request, response, route);
      } else {
        before(request, response, (error) => {
          if (error === undefined) void this.serve(request, response, route);
          else fallback(request, response);
        });
      }
    });
  }

  /** Answers one request; never rejects. */
  async serve(request: IncomingMessage, response: ServerResponse, route: StreamRoute): Promise<void> {
    try {
      // Before anything else, storage included: see AccessService.
      const grant = this.access?.authorizeItem(route.id, route.query) ?? null;
      const streamRequest = toStreamRequest(request.method ?? 'GET', route.id, route.download, request.headers);
      if (this.redirect !== null && streamRequest.method === 'GET') {
        const answer = await this.redirect.redirect(streamRequest.id, streamRequest.download);
        response.writeHead(answer.status, answer.headers);
        response.end();
        return;
      }
      const result = await this.streams.stream(streamRequest);
      this.access?.restrictCaching(result.headers, grant, this.options.cacheMaxAge);
      const rejection = rejectionOf(result);
      if (rejection !== null) {
        // The error's JSON goes out with these (Content-Range on a 416).
        for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
        throw rejection;
      }
      const { body } = result;
      if (body === null || body instanceof BufferedFile) {
        // Nothing can fail any more: one writeHead rather than a setHeader
        // per field, fewer objects on the path most requests take.
        response.writeHead(result.status, result.headers);
        response.end(body?.bytes);
      } else {
        // A stream may still fail before its first byte and then needs its
        // status and headers replaced (see answerStreamError): not sent yet.
        response.statusCode = result.status;
        for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
        sendFile(response, body);
      }
    } catch (error) {
      answerWithError(response, error, this.logger);
    }
  }
}

/** The route of a GET or HEAD of `/api/videos/<id>/stream[?query]`, or null. */
export function matchStreamRoute(method: string | undefined, url: string | undefined): StreamRoute | null {
  const id = matchStreamId(method, url);
  if (id === null || url === undefined) return null;
  const queryStart = url.indexOf('?', PREFIX.length);
  const query = queryStart === -1 ? {} : parseQuery(url.slice(queryStart + 1));
  return { id, download: query.download, query };
}

/**
 * The decoded ID when matchStreamRoute takes the request, else null: the same
 * test without parsing the query, for code that needs only to know.
 */
export function matchStreamId(method: string | undefined, url: string | undefined): string | null {
  if ((method !== 'GET' && method !== 'HEAD') || url === undefined || !url.startsWith(PREFIX) || UNUSUAL.test(url)) {
    return null;
  }
  const queryStart = url.indexOf('?', PREFIX.length);
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  if (!path.endsWith(SUFFIX) || path.length <= PREFIX.length + SUFFIX.length) {
    return null;
  }
  const segment = path.slice(PREFIX.length, path.length - SUFFIX.length);
  if (segment.includes('/')) {
    return null;
  }
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Sends a StreamableFile as Nest's Express adapter would, minus the layers. */
function sendFile(response: ServerResponse, file: StreamableFile): void {
  const stream = file.getStream();
  // Typed for Nest's minimal response interface; ours is the Node response.
  const handleError = file.errorHandler as unknown as (error: Error, response: ServerResponse) => void;
  if (stream.errored !== null) {
    // Failed before it was handed over: its 'error' has already been emitted.
    handleError(stream.errored, response);
    return;
  }
  stream.once('error', (error: Error) => handleError(error, response));
  // Neither pipe() nor writeTo() stops reading when the client goes away.
  onResponseDone(response, () => {
    if (!stream.readableEnded) stream.destroy();
  });
  if (isSelfWriting(stream)) {
    stream.writeTo(response);
  } else {
    stream.pipe(response);
  }
}
