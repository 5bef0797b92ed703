import { LINK_TTL_MAX_SECONDS } from '../../config/access.config.js';

export type LinksRequest = { ok: true; expiresIn: number } | { ok: false; errors: string[] };

const EXPIRES_IN_ERROR = `expiresIn must be a whole number of seconds from 1 to ${LINK_TTL_MAX_SECONDS}`;

/**
 * The body of `POST /api/videos/:id/links`: `{"expiresIn": S}` or nothing
 * (`undefined`: no body was sent) for `fallback`. Anything else is refused,
 * unknown fields included, so a typo never silently gets the default.
 */
export function parseLinksRequest(body: unknown, fallback: number): LinksRequest {
  if (body === undefined) return { ok: true, expiresIn: fallback };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: ['the body must be a JSON object'] };
  }
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => key !== 'expiresIn');
  if (unknown.length > 0) {
    return { ok: false, errors: unknown.map((key) => `property ${key.slice(0, 64)} is not allowed`) };
  }
  const { expiresIn } = record;
  if (expiresIn === undefined) return { ok: true, expiresIn: fallback };
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > LINK_TTL_MAX_SECONDS) {
    return { ok: false, errors: [EXPIRES_IN_ERROR] };
  }
  return { ok: true, expiresIn };
}
