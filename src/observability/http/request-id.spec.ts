import { RequestIdGenerator, acceptedRequestId } from './request-id.js';

describe('acceptedRequestId', () => {
  it('keeps 1 to 128 characters of A-Z a-z 0-9 . _ -', () => {
    expect(acceptedRequestId('a')).toBe('a');
    expect(acceptedRequestId('Trace.ID_01-x')).toBe('Trace.ID_01-x');
    expect(acceptedRequestId('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it.each([[''], ['x'.repeat(129)], ['a b'], ['a,b'], ['é'], ['a\nb']])('refuses %j', (value) => {
    expect(acceptedRequestId(value)).toBeNull();
  });

  it('refuses a missing or repeated header', () => {
    expect(acceptedRequestId(undefined)).toBeNull();
    expect(acceptedRequestId(['a', 'b'])).toBeNull();
  });
});

describe('RequestIdGenerator', () => {
  it('makes valid IDs, unique within a process and between processes', () => {
    const one = new RequestIdGenerator();
    const other = new RequestIdGenerator();
    const ids = [one.next(), one.next(), other.next()];
    for (const id of ids) expect(acceptedRequestId(id)).toBe(id);
    expect(new Set(ids).size).toBe(3);
  });
});
