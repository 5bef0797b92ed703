import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../../common/api-error.js';
import { malformedIdReason } from '../storage/media-id.js';
import type { StreamRequest, StreamResponse } from '../streaming/range-stream.service.js';
import type { StreamRequestHeaders } from '../http/stream-decision.js';

const STREAM_HEADERS = ['range', 'if-range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'] as const;

/**
 * The stream route's request, from what HTTP gave: shared by the controller
 * and the fast path so that both validate in the same order with the same
 * messages. Throws ApiError(400) for a malformed ID or `download` value.
 */
export function toStreamRequest(method: string, rawId: string, download: unknown, headers: IncomingHttpHeaders): StreamRequest {
  const reason = malformedIdReason(rawId);
  if (reason !== null) {
    throw new ApiError(400, reason);
  }
  const conditional: StreamRequestHeaders = {};
  for (const name of STREAM_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') conditional[name] = value;
  }
  return { id: rawId, method: method === 'HEAD' ? 'HEAD' : 'GET', headers: conditional, download: parseDownload(download) };
}

function parseDownload(value: unknown): boolean {
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ApiError(400, ['download must be 1 or 0']);
}

/** The error a 412 or 416 outcome is answered with (its headers already set); null for the others. */
export function rejectionOf(result: StreamResponse): ApiError | null {
  if (result.status === 412) return new ApiError(412, "The item does not match the request's preconditions.");
  if (result.status === 416) return new ApiError(416, 'No requested range overlaps the item.');
  return null;
}
