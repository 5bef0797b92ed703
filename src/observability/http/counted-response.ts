import type { ServerResponse } from 'node:http';

type Write = (this: ServerResponse, chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
type End = (this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) => ServerResponse;

export const RECORD = Symbol('request-record');

/** What the observer keeps of one request until its response is done: one object per request. */
export class RequestRecord {
  bytes = 0;
  write: Write | null = null;
  end: End | null = null;

  constructor(
    readonly id: string,
    /** As it arrived: a mounted Express middleware (the /docs assets) rewrites request.url. */
    readonly url: string,
    readonly start: number,
    readonly stream: boolean,
  ) {}
}

export type ObservedResponse = ServerResponse & { [RECORD]?: RequestRecord };

/**
 * Counts the body bytes handed to `response` while its connection is open:
 * what left the service, also for a download cut half-way. Node offers no
 * per-response count (socket.bytesWritten spans pipelined responses and
 * includes headers), hence the two methods replaced on the instance; the
 * replacements are shared functions, so a request costs no closure.
 */
export function countBodyBytes(response: ObservedResponse, record: RequestRecord): void {
  record.write = response.write as Write;
  record.end = response.end as End;
  response[RECORD] = record;
  response.write = countingWrite as ServerResponse['write'];
  response.end = countingEnd as ServerResponse['end'];
}

function countingWrite(this: ObservedResponse, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
  const record = this[RECORD];
  if (record !== undefined && !this.destroyed) record.bytes += byteLength(chunk, encoding);
  // The record outlives the request only until done; the original stays reachable through the prototype.
  return (record?.write ?? Object.getPrototypeOf(this).write).call(this, chunk, encoding, callback);
}

function countingEnd(this: ObservedResponse, chunk?: unknown, encoding?: unknown, callback?: unknown): ServerResponse {
  const record = this[RECORD];
  if (record !== undefined && !this.destroyed && !this.writableEnded && typeof chunk !== 'function') {
    record.bytes += byteLength(chunk, encoding);
  }
  return (record?.end ?? Object.getPrototypeOf(this).end).call(this, chunk, encoding, callback);
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}
