import {
  EntityTag,
  parseEntityTag,
  parseEntityTagList,
  strongMatch,
  weakMatch,
} from './entity-tag.js';
import { parseHttpDate, truncateToSecond } from './http-date.js';

/** The request headers that conditional requests read, as Node gives them. */
export interface ConditionalHeaders {
  'if-match'?: string;
  'if-none-match'?: string;
  'if-modified-since'?: string;
  'if-unmodified-since'?: string;
  'if-range'?: string;
}

export interface Validators {
  /** The strong entity tag, with quotes. */
  etag: string;
  lastModified: Date;
}

export type PreconditionOutcome = 'proceed' | 'precondition-failed' | 'not-modified';

/**
 * Evaluates preconditions in the order of RFC 9110 13.2.2 for a GET or HEAD
 * of a representation that exists. Hand-written because `fresh` covers only
 * the 304 half (not If-Match / If-Unmodified-Since) and also treats a
 * request's `Cache-Control: no-cache` as a reason to resend, which is a cache's
 * concern, not an origin server's.
 */
export function evaluatePreconditions(
  headers: ConditionalHeaders,
  validators: Validators,
): PreconditionOutcome {
  if (
    headers['if-match'] === undefined &&
    headers['if-none-match'] === undefined &&
    headers['if-modified-since'] === undefined &&
    headers['if-unmodified-since'] === undefined
  ) {
    return 'proceed';
  }
  const current: EntityTag = { weak: false, opaque: validators.etag };
  const modifiedSecond = truncateToSecond(validators.lastModified);

  if (headers['if-match'] !== undefined) {
    if (!listMatches(headers['if-match'], current, strongMatch)) {
      return 'precondition-failed';
    }
  } else if (headers['if-unmodified-since'] !== undefined) {
    const date = parseHttpDate(headers['if-unmodified-since']);
    if (date !== null && modifiedSecond > date) {
      return 'precondition-failed';
    }
  }

  if (headers['if-none-match'] !== undefined) {
    if (listMatches(headers['if-none-match'], current, weakMatch)) {
      return 'not-modified';
    }
  } else if (headers['if-modified-since'] !== undefined) {
    const date = parseHttpDate(headers['if-modified-since']);
    if (date !== null && modifiedSecond <= date) {
      return 'not-modified';
    }
  }
  return 'proceed';
}

function listMatches(
  value: string,
  current: EntityTag,
  compare: (a: EntityTag, b: EntityTag) => boolean,
): boolean {
  const list = parseEntityTagList(value);
  if (list === '*') {
    return true;
  }
  return list !== null && list.some((tag) => compare(tag, current));
}

/**
 * RFC 9110 13.1.5: the range applies only when `If-Range` names the current
 * representation: a strong tag that matches, or exactly its Last-Modified.
 */
export function ifRangeHolds(value: string | undefined, validators: Validators): boolean {
  if (value === undefined) {
    return true;
  }
  const trimmed = value.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith('W/')) {
    const tag = parseEntityTag(trimmed);
    return tag !== null && strongMatch(tag, { weak: false, opaque: validators.etag });
  }
  const date = parseHttpDate(trimmed);
  return date !== null && date === truncateToSecond(validators.lastModified);
}
