export interface ListQuery {
  limit: number;
  offset: number;
  q: string;
}

export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 500;
const MAX_Q_LENGTH = 1024;

export type ListQueryResult = { ok: true; query: ListQuery } | { ok: false; errors: string[] };

/**
 * Validates `limit`, `offset` and `q` as they arrive from Express's query
 * parser (a repeated key arrives as an array, which is an error here).
 */
export function parseListQuery(raw: Record<string, unknown>): ListQueryResult {
  const errors: string[] = [];
  const limit = integerParam(raw.limit, 'limit', 1, LIST_LIMIT_MAX, LIST_LIMIT_DEFAULT, errors);
  const offset = integerParam(raw.offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0, errors);
  let q = '';
  if (raw.q !== undefined) {
    if (typeof raw.q !== 'string') {
      errors.push('q must be a single string');
    } else if (raw.q.length > MAX_Q_LENGTH) {
      errors.push(`q must be at most ${MAX_Q_LENGTH} characters`);
    } else {
      q = raw.q;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, query: { limit, offset, q } };
}

function integerParam(
  value: unknown,
  name: string,
  min: number,
  max: number,
  fallback: number,
  errors: string[],
): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
    errors.push(max === Number.MAX_SAFE_INTEGER ? `${name} must be an integer of ${min} or more` : `${name} must be an integer from ${min} to ${max}`);
    return fallback;
  }
  return Number(value);
}
