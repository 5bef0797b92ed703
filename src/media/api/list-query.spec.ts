import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, ListQueryResult, parseListQuery } from './list-query.js';

const LIMIT_ERROR = 'limit must be an integer from 1 to 500';
const OFFSET_ERROR = 'offset must be an integer of 0 or more';

function ok(limit: number, offset: number, q = ''): ListQueryResult {
  return { ok: true, query: { limit, offset, q, type: null, sort: 'id', order: 'asc' } };
}

describe('parseListQuery', () => {
  it('has the contract defaults and bounds', () => {
    expect(LIST_LIMIT_DEFAULT).toBe(50);
    expect(LIST_LIMIT_MAX).toBe(500);
  });

  it('defaults to limit 50, offset 0 and no filter', () => {
    expect(parseListQuery({})).toEqual(ok(50, 0));
  });

  it('ignores unknown parameters', () => {
    expect(parseListQuery({ page: '3', sortBy: ['a', 'b'] })).toEqual(ok(50, 0));
  });

  describe('limit', () => {
    it.each<[string, number]>([
      ['1', 1],
      ['2', 2],
      ['50', 50],
      ['499', 499],
      ['500', 500],
      ['007', 7],
      ['0500', 500],
    ])('accepts %j', (limit, expected) => {
      expect(parseListQuery({ limit })).toEqual(ok(expected, 0));
    });

    it.each<[string, unknown]>([
      ['zero', '0'],
      ['above the maximum', '501'],
      ['far above the maximum', '99999999999999999999'],
      ['negative', '-1'],
      ['negative zero', '-0'],
      ['a decimal', '1.5'],
      ['a decimal with zero fraction', '10.0'],
      ['exponent notation', '1e2'],
      ['hexadecimal', '0x10'],
      ['a plus sign', '+5'],
      ['leading whitespace', ' 5'],
      ['trailing whitespace', '5 '],
      ['empty', ''],
      ['letters', 'ten'],
      ['digits then letters', '10abc'],
      ['non-ASCII digits', '\u0661\u0660'],
      ['Infinity', 'Infinity'],
      ['NaN', 'NaN'],
      ['an array (repeated key)', ['10', '20']],
      ['a one-element array', ['10']],
      ['an object', { gt: '1' }],
      ['a number rather than a string', 10],
      ['null', null],
    ])('rejects %s', (_name, limit) => {
      expect(parseListQuery({ limit })).toEqual({ ok: false, errors: [LIMIT_ERROR] });
    });
  });

  describe('offset', () => {
    it.each<[string, number]>([
      ['0', 0],
      ['1', 1],
      ['00', 0],
      ['1000000', 1000000],
      ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ])('accepts %j', (offset, expected) => {
      expect(parseListQuery({ offset })).toEqual(ok(50, expected));
    });

    it.each<[string, unknown]>([
      ['negative', '-1'],
      ['negative zero', '-0'],
      ['a decimal', '0.5'],
      ['a decimal with zero fraction', '1.0'],
      ['exponent notation', '1e3'],
      ['a plus sign', '+1'],
      ['whitespace', ' 1'],
      ['empty', ''],
      ['letters', 'abc'],
      ['an array (repeated key)', ['0', '10']],
      ['an object', { '0': '1' }],
      ['a number rather than a string', 0],
    ])('rejects %s', (_name, offset) => {
      expect(parseListQuery({ offset })).toEqual({ ok: false, errors: [OFFSET_ERROR] });
    });
  });

  describe('q', () => {
    it.each<[string, string]>([
      ['', ''],
      ['bunny', 'bunny'],
      ['Big Buck', 'Big Buck'],
      [' spaced ', ' spaced '],
      ['100%', '100%'],
      ['caf\u00e9', 'caf\u00e9'],
      ['a'.repeat(1024), 'a'.repeat(1024)],
    ])('accepts %j as given', (q, expected) => {
      expect(parseListQuery({ q })).toEqual(ok(50, 0, expected));
    });

    it.each<[string, unknown, string]>([
      ['an array (repeated key)', ['a', 'b'], 'q must be a single string'],
      ['an object', { a: 'b' }, 'q must be a single string'],
      ['longer than 1024 characters', 'a'.repeat(1025), 'q must be at most 1024 characters'],
    ])('rejects %s', (_name, q, error) => {
      expect(parseListQuery({ q })).toEqual({ ok: false, errors: [error] });
    });
  });

  it('combines valid values', () => {
    expect(parseListQuery({ limit: '10', offset: '20', q: 'mp4' })).toEqual(ok(10, 20, 'mp4'));
  });

  it('reports every bad value at once', () => {
    expect(parseListQuery({ limit: '0', offset: '-1', q: ['x', 'y'] })).toEqual({
      ok: false,
      errors: [LIMIT_ERROR, OFFSET_ERROR, 'q must be a single string'],
    });
  });

  it('fails as a whole when one value is bad', () => {
    expect(parseListQuery({ limit: '10', offset: 'x', q: 'ok' })).toEqual({ ok: false, errors: [OFFSET_ERROR] });
  });

  describe('type, sort and order', () => {
    it('takes each listed value', () => {
      for (const type of ['video', 'audio'] as const) {
        expect(parseListQuery({ type })).toEqual({ ok: true, query: { ...okQuery(), type } });
      }
      for (const sort of ['id', 'name', 'modifiedAt', 'size', 'duration'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          expect(parseListQuery({ sort, order })).toEqual({ ok: true, query: { ...okQuery(), sort, order } });
        }
      }
    });

    it.each<[string, unknown, string]>([
      ['type', 'image', 'type must be one of video, audio'],
      ['type', 'VIDEO', 'type must be one of video, audio'],
      ['type', ['video', 'audio'], 'type must be one of video, audio'],
      ['sort', 'modifiedat', 'sort must be one of id, name, modifiedAt, size, duration'],
      ['sort', '', 'sort must be one of id, name, modifiedAt, size, duration'],
      ['sort', ['id', 'id'], 'sort must be one of id, name, modifiedAt, size, duration'],
      ['order', 'DESC', 'order must be one of asc, desc'],
      ['order', 'down', 'order must be one of asc, desc'],
    ])('%s=%j is refused', (name, value, error) => {
      expect(parseListQuery({ [name]: value })).toEqual({ ok: false, errors: [error] });
    });
  });
});

function okQuery(): Extract<ListQueryResult, { ok: true }>['query'] {
  const result = ok(50, 0);
  if (!result.ok) throw new Error('unreachable');
  return result.query;
}
