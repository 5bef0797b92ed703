import type { ServerResponse } from 'node:http';

type Write = (this: ServerResponse, chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
type End = (this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) => ServerResponse;
type WriteHead = (this: ServerResponse, statusCode: number, reason?: unknown, headers?: unknown) => ServerResponse;

const REQUEST_ID = 'X-Request-Id';

export const RECORD = Symbol('request-record');

/** What the observer keeps of one request until its response is done: one object per request. */
export class RequestRecord {
  bytes = 0;
  write: Write | null = null;
  end: End | null = null;
  writeHead: WriteHead | null = null;
  /** The X-Request-Id header is still to be added, when the head is written. */
  idPending = false;

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

/**
 * Adds `X-Request-Id: <record.id>` to the response's head when it is written.
 *
 * Why not setHeader() as the request arrives: a response with any header set
 * that way makes Node's writeHead(status, headers) take its slow case, one
 * setHeader() (validation, lower-casing, a dictionary store) per field it is
 * given; the stream fast path writes its whole head with one writeHead(), and
 * its 4 KiB answers then spent more on that than on their access line. Here
 * the ID joins writeHead's own fields when nothing was set before (a copy of
 * the caller's object, never a change to it), and is set as before otherwise.
 */
export function sendIdWithHead(response: ObservedResponse, record: RequestRecord): void {
  record.writeHead = response.writeHead as WriteHead;
  record.idPending = true;
  response[RECORD] = record;
  response.writeHead = writeHeadWithId as ServerResponse['writeHead'];
}

function writeHeadWithId(this: ObservedResponse, statusCode: number, reason?: unknown, headers?: unknown): ServerResponse {
  const record = this[RECORD];
  const writeHead: WriteHead = record?.writeHead ?? Object.getPrototypeOf(this).writeHead;
  if (record === undefined || !record.idPending || this.headersSent) {
    return writeHead.call(this, statusCode, reason, headers);
  }
  record.idPending = false;
  const fields = typeof reason === 'string' ? headers : reason;
  if (isFieldObject(fields) && !(REQUEST_ID in fields) && !('x-request-id' in fields) && this.getHeaderNames().length === 0) {
    const withId = { ...fields, [REQUEST_ID]: record.id };
    return typeof reason === 'string' ? writeHead.call(this, statusCode, reason, withId) : writeHead.call(this, statusCode, withId);
  }
  // As before: an ID the handler set, or gives here (set after), wins.
  if (!this.hasHeader(REQUEST_ID)) this.setHeader(REQUEST_ID, record.id);
  return writeHead.call(this, statusCode, reason, headers);
}

function isFieldObject(fields: unknown): fields is Record<string, unknown> {
  return typeof fields === 'object' && fields !== null && !Array.isArray(fields);
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
