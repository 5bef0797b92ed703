import { ByteRange, parseRangeHeader } from './http-range.js';
import { MultipartPlan, planMultipart } from './multipart.js';
import { formatHttpDate } from './http-date.js';
import { ConditionalHeaders, evaluatePreconditions, ifRangeHolds } from './preconditions.js';

/** What the decision needs to know about the item: metadata only, no bytes. */
export interface StreamTarget {
  size: number;
  modifiedAt: Date;
  etag: string;
  mimeType: string;
}

export interface StreamRequestHeaders extends ConditionalHeaders {
  range?: string;
}

export interface StreamPolicy {
  maxRanges: number;
  maxOpenEndedBytes: number;
  cacheMaxAge: number;
  /** A `Content-Disposition` value, or null for none. */
  disposition: string | null;
  /** Makes the multipart boundary; passed in so that the decision stays pure. */
  boundary: () => string;
  /** The current time, passed in for the same reason. */
  now: Date;
}

export type StreamBody =
  | { kind: 'none' }
  | { kind: 'single'; range: ByteRange }
  | { kind: 'multipart'; plan: MultipartPlan };

export interface StreamDecision {
  status: 200 | 206 | 304 | 412 | 416;
  headers: Record<string, string>;
  /** The bytes a GET sends; a HEAD sends the same headers and no body. */
  body: StreamBody;
}

/**
 * From an item's metadata and a request's headers to the status, headers and
 * byte ranges of the answer (RFC 9110 13 and 14).
 */
export function decideStream(
  target: StreamTarget,
  headers: StreamRequestHeaders,
  policy: StreamPolicy,
): StreamDecision {
  // RFC 9110 8.8.2.1: a modification time in the future is sent as now.
  const lastModified = target.modifiedAt > policy.now ? policy.now : target.modifiedAt;
  const validators = { etag: target.etag, lastModified };
  const outcome = evaluatePreconditions(headers, validators);
  if (outcome === 'precondition-failed') {
    return { status: 412, headers: {}, body: { kind: 'none' } };
  }
  if (outcome === 'not-modified') {
    return { status: 304, headers: validatorHeaders(target, lastModified, policy), body: { kind: 'none' } };
  }
  const whole = (): StreamDecision => ({
    status: 200,
    headers: representationHeaders(target, lastModified, policy, target.mimeType, target.size),
    body: target.size === 0 ? { kind: 'none' } : { kind: 'single', range: { start: 0, end: target.size - 1 } },
  });
  if (headers.range === undefined || !ifRangeHolds(headers['if-range'], validators)) {
    return whole();
  }
  const parsed = parseRangeHeader(headers.range, target.size, policy);
  if (parsed.kind === 'ignore') {
    return whole();
  }
  if (parsed.kind === 'unsatisfiable') {
    return {
      status: 416,
      headers: { 'Accept-Ranges': 'bytes', 'Content-Range': `bytes */${target.size}` },
      body: { kind: 'none' },
    };
  }
  if (parsed.ranges.length === 1) {
    const [range] = parsed.ranges;
    const answer = representationHeaders(target, lastModified, policy, target.mimeType, range.end - range.start + 1);
    answer['Content-Range'] = `bytes ${range.start}-${range.end}/${target.size}`;
    return { status: 206, headers: answer, body: { kind: 'single', range } };
  }
  const plan = planMultipart(parsed.ranges, target.size, target.mimeType, policy.boundary());
  return {
    status: 206,
    headers: representationHeaders(target, lastModified, policy, plan.contentType, plan.length),
    body: { kind: 'multipart', plan },
  };
}

// The headers are built as literals and then added to, not spread from
// shared parts: spreading made decideStream about 5 µs of a 4 KiB answer
// (objects copied key by key, then garbage), measured in isolation.

function validatorHeaders(target: StreamTarget, lastModified: Date, policy: StreamPolicy): Record<string, string> {
  return {
    ETag: target.etag,
    'Last-Modified': formatHttpDate(lastModified),
    'Cache-Control': `public, max-age=${policy.cacheMaxAge}`,
  };
}

function representationHeaders(
  target: StreamTarget,
  lastModified: Date,
  policy: StreamPolicy,
  contentType: string,
  contentLength: number,
): Record<string, string> {
  const headers: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    ETag: target.etag,
    'Last-Modified': formatHttpDate(lastModified),
    'Cache-Control': `public, max-age=${policy.cacheMaxAge}`,
  };
  if (policy.disposition !== null) {
    headers['Content-Disposition'] = policy.disposition;
  }
  headers['Content-Type'] = contentType;
  headers['Content-Length'] = String(contentLength);
  return headers;
}
