import { ApiError } from '../common/api-error.js';

/**
 * A request for an item without a valid link: 403. The message says
 * "expired" or "invalid" and nothing else: never which key, which part, or
 * whether the item exists.
 */
export class AccessDeniedError extends ApiError {
  constructor(readonly reason: 'expired' | 'invalid' | 'private') {
    super(403, MESSAGES[reason]);
  }
}

const MESSAGES = {
  expired: 'This link has expired.',
  invalid: 'This link is invalid.',
  private: 'This library is private: open a signed link.',
} as const;

/** A JSON API request without a known API key: 401, with the challenge RFC 9110 11.6.1 asks for. */
export class ApiKeyRequiredError extends ApiError {
  constructor() {
    super(401, 'The API key is missing or invalid.');
  }
}

export const API_KEY_CHALLENGE = 'Bearer realm="media"';
