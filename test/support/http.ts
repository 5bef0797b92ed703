import http, { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

export interface BytesResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request with Node's http client, which sends headers as given (no
 * normalisation of Range and friends) and returns the body as bytes.
 * `path` is sent as is, so percent-encoding stays the caller's.
 */
export function fetchBytes(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<BytesResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Writes `text` verbatim to a fresh TCP connection and returns everything the
 * server sends until it closes the connection (send `Connection: close`) or
 * `timeoutMs` passes. For requests no HTTP client would send.
 */
export function rawExchange(port: number, text: string | Buffer, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('connect', () => socket.write(text));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Splits a raw HTTP/1.1 response into status, lower-cased headers and body bytes. */
export function parseRawResponse(raw: Buffer): BytesResponse {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(head[0].split(' ')[1]);
  const headers: IncomingHttpHeaders = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: raw.subarray(end + 4) };
}

/** Deterministic, position-dependent bytes, so a wrong offset shows as a mismatch. */
export function patternBytes(length: number, seed = 7): Buffer {
  const buffer = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    buffer[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  }
  return buffer;
}

/** A response header as one string (a repeated field joined as RFC 9110 5.3 allows). */
export function header(res: BytesResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Bytes equal, with the lengths compared first so a mismatch reads clearly. */
export function expectBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}
