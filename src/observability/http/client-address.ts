import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '../../config/server.config.js';

export type ClientAddress = (request: IncomingMessage) => string | undefined;

/**
 * The client's address as Express's `req.ip` reads it under the same
 * `trust proxy` value, for requests Express never sees (the stream fast path)
 * as well as its own.
 */
export function clientAddressOf(trust: TrustProxy): ClientAddress {
  if (trust === false) {
    // The common case costs nothing: no header is read.
    return (request) => request.socket.remoteAddress;
  }
  const trusted =
    trust === true
      ? () => true
      : typeof trust === 'number'
        ? (_address: string, hop: number) => hop < trust
        : proxyAddr.compile(trust);
  return (request) => proxyAddr(request, trusted);
}
