import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer } from 'node:http';
import type { ServerSettings } from './config/server.config.js';

/** Like nginx's send_timeout: a client that takes nothing for this long is dropped. */
export const IDLE_TIMEOUT_MS = 60_000;
/** Node's default time to receive a whole request; GETs have no body, so it is the head's time. */
const REQUEST_TIMEOUT_MS = 300_000;

/**
 * Nest's Express adapter with a server made for slow clients. Nest creates
 * the server itself without options, and `connectionsCheckingInterval` can
 * only be given at creation: Node checks the headers timeout that often
 * (default 30 s), so a slowloris would hold a connection up to 30 s past it.
 *
 * headersTimeout and requestTimeout only bound receiving the request; the
 * response, however slow the download, is limited by the idle timeout alone
 * (a reader that takes nothing for IDLE_TIMEOUT_MS), set in main.ts.
 */
export class ServiceHttpAdapter extends ExpressAdapter {
  constructor(private readonly settings: Pick<ServerSettings, 'headersTimeoutSeconds' | 'keepAliveTimeoutSeconds'>) {
    super();
  }

  override initHttpServer(): void {
    const headersTimeout = this.settings.headersTimeoutSeconds * 1000;
    this.httpServer = createServer(
      {
        headersTimeout,
        requestTimeout: Math.max(REQUEST_TIMEOUT_MS, headersTimeout),
        keepAliveTimeout: this.settings.keepAliveTimeoutSeconds * 1000,
        connectionsCheckingInterval: Math.min(1000, headersTimeout),
      },
      this.getInstance(),
    );
  }
}
