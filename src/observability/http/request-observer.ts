import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { onResponseDone } from '../../common/on-response-done.js';
import { serverConfig } from '../../config/server.config.js';
import { matchStreamId } from '../../media/api/stream-fast-path.js';
import { STREAM_PATH, VIDEOS_PATH } from '../../media/api/video.routes.js';
import { AccessLineWriter } from '../logging/access-line.writer.js';
import { PINO_LOGGER } from '../logging/pino-logger.token.js';
import { MediaMetrics } from '../metrics/media-metrics.js';
import { ShutdownState } from '../shutdown-state.js';
import { type ClientAddress, clientAddressOf } from './client-address.js';
import { countBodyBytes, type ObservedResponse, RequestRecord, sendIdWithHead } from './counted-response.js';
import { redactUrl } from './redact-url.js';
import { RequestTraffic } from './request-traffic.js';
import { RequestIdGenerator, acceptedRequestId } from './request-id.js';

/** The route label of the stream route, whichever of the fast path or the controller answered. */
export const STREAM_ROUTE = `/${VIDEOS_PATH}/${STREAM_PATH}`;
const UNMATCHED = 'unmatched';

type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

/**
 * Request IDs, the access log and the HTTP metrics for every request the
 * server takes.
 *
 * It wraps the server's one 'request' listener, after StreamFastPath has put
 * itself there, rather than running as Express middleware: the fast path
 * answers before Express, and must not be a way around logs and metrics.
 */
@Injectable()
export class RequestObserver {
  private readonly ids = new RequestIdGenerator();
  private readonly clientAddress: ClientAddress;
  private readonly lines: AccessLineWriter;
  private inFlight = 0;
  private onIdle: (() => void) | null = null;

  constructor(
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    private readonly metrics: MediaMetrics,
    private readonly shutdown: ShutdownState,
    private readonly traffic: RequestTraffic,
    @Inject(serverConfig.KEY) server: ConfigType<typeof serverConfig>,
  ) {
    this.clientAddress = clientAddressOf(server.trustProxy);
    this.lines = new AccessLineWriter(logger);
  }

  install(server: Server): void {
    const listeners = server.listeners('request') as RequestListener[];
    if (listeners.length !== 1) {
      throw new Error(`RequestObserver expects one request listener, found ${listeners.length}`);
    }
    const [inner] = listeners;
    server.removeListener('request', inner);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.begin(request, response);
      inner(request, response);
    });
  }

  /**
   * Resolves when every request taken so far has been logged. A cut
   * connection's 'close' comes after the server's own 'close' event, so
   * shutdown waits for this before it exits, or the last lines would be lost.
   */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => (this.onIdle = resolve));
  }

  private begin(request: IncomingMessage, response: ServerResponse): void {
    this.traffic.arrived();
    const id = acceptedRequestId(request.headers['x-request-id']) ?? this.ids.next();
    if (this.shutdown.shuttingDown) {
      // Draining: this connection takes no further request.
      response.shouldKeepAlive = false;
    }
    const url = request.url;
    const stream = matchStreamId(request.method, url) !== null;
    const record = new RequestRecord(id, url ?? '', performance.now(), stream);
    countBodyBytes(response as ObservedResponse, record);
    sendIdWithHead(response as ObservedResponse, record);
    if (stream) this.metrics.streamStarted();
    this.inFlight++;
    onResponseDone(response, () => {
      this.inFlight--;
      this.done(request, response, record);
      if (this.inFlight === 0 && this.onIdle !== null) this.onIdle();
    });
  }

  private done(request: IncomingMessage, response: ServerResponse, record: RequestRecord): void {
    const aborted = !response.writableFinished;
    const status = response.statusCode;
    const method = request.method ?? 'GET';
    const bytesSent = method === 'HEAD' || status === 204 || status === 304 ? 0 : record.bytes;
    const elapsedMs = performance.now() - record.start;
    const path = (request as RoutedRequest).route?.path;
    const route = typeof path === 'string' ? path : record.stream ? STREAM_ROUTE : UNMATCHED;
    this.metrics.requestDone(method, route, status, elapsedMs / 1000);
    if (record.stream) this.metrics.streamStopped();
    if (route === STREAM_ROUTE) this.metrics.streamDone(bytesSent, aborted);
    const level = status >= 500 ? 'error' : 'info';
    if (!this.logger.isLevelEnabled(level)) return;
    this.lines.write(
      level,
      {
        id: record.id,
        method,
        url: redactUrl(record.url),
        remoteAddress: this.clientAddress(request),
        statusCode: status,
        responseTime: Math.round(elapsedMs * 100) / 100,
        bytesSent,
        aborted,
      },
      aborted ? 'request aborted' : 'request completed',
    );
  }
}
