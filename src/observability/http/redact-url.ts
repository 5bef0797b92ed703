/** Query keys whose values never reach a log. */
const SECRET_KEYS = new Set(['signature']);
const REDACTED = '[REDACTED]';

/**
 * The URL as it may be logged: the value of every `signature` parameter
 * replaced by [REDACTED], however its key is spelt (`sig%6Eature` is the
 * same key to the query parser, so it must be to this function too).
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const pairs = url.slice(queryStart + 1).split('&');
  let changed = false;
  for (let i = 0; i < pairs.length; i++) {
    const equals = pairs[i].indexOf('=');
    const key = equals === -1 ? pairs[i] : pairs[i].slice(0, equals);
    if (SECRET_KEYS.has(decodeKey(key))) {
      pairs[i] = `${key}=${REDACTED}`;
      changed = true;
    }
  }
  return changed ? `${url.slice(0, queryStart + 1)}${pairs.join('&')}` : url;
}

function decodeKey(key: string): string {
  if (!key.includes('%') && !key.includes('+')) return key.toLowerCase();
  try {
    return decodeURIComponent(key.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    // querystring keeps a malformed escape as it is; so does this.
    return key.toLowerCase();
  }
}
