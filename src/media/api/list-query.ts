export const LIST_SORTS = ['id', 'name', 'modifiedAt', 'size', 'duration'] as const;
export const LIST_ORDERS = ['asc', 'desc'] as const;
export const LIST_TYPES = ['video', 'audio'] as const;

export type ListSort = (typeof LIST_SORTS)[number];
export type ListOrder = (typeof LIST_ORDERS)[number];
export type ListType = (typeof LIST_TYPES)[number];

export interface ListQuery {
  limit: number;
  offset: number;
  q: string;
  /** The mimeType's top-level type, or null for every item. */
  type: ListType | null;
  sort: ListSort;
  order: ListOrder;
}

export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 500;
const MAX_Q_LENGTH = 1024;

export type ListQueryResult = { ok: true; query: ListQuery } | { ok: false; errors: string[] };

/**
 * Validates the listing's query as it arrives from Express's query parser
 * (a repeated key arrives as an array, which is an error here).
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
  const type = choiceParam(raw.type, 'type', LIST_TYPES, null, errors);
  const sort = choiceParam(raw.sort, 'sort', LIST_SORTS, 'id', errors);
  const order = choiceParam(raw.order, 'order', LIST_ORDERS, 'asc', errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, query: { limit, offset, q, type, sort, order } };
}

function choiceParam<T extends string, F extends T | null>(value: unknown, name: string, choices: readonly T[], fallback: F, errors: string[]): T | F {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  errors.push(`${name} must be one of ${choices.join(', ')}`);
  return fallback;
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
