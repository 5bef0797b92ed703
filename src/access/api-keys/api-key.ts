import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The key a request presents: `Authorization: Bearer <key>`, else `X-API-Key`; null when neither. */
export function presentedApiKey(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    // RFC 9110 11.1: the scheme is case-insensitive; RFC 6750's one space before the token.
    const match = /^bearer +(\S+) *$/i.exec(authorization);
    if (match !== null) return match[1];
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' && header.trim() !== '' ? header.trim() : null;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether `presented` is one of `keys`. The strings are hashed first so that
 * timingSafeEqual gets buffers of equal length whatever the key lengths, and
 * every key is compared, so timing tells neither a key's length nor which one
 * came close.
 */
export function isKnownApiKey(keys: readonly string[], presented: string | null): boolean {
  if (presented === null) return false;
  const candidate = digest(presented);
  let known = false;
  for (const key of keys) {
    known = timingSafeEqual(candidate, digest(key)) || known;
  }
  return known;
}
