import { parseLinksRequest } from './links-request.js';

describe('parseLinksRequest', () => {
  it.each<[string, unknown, number]>([
    ['no body', undefined, 3600],
    ['an empty object', {}, 3600],
    ['the smallest lifetime', { expiresIn: 1 }, 1],
    ['a week', { expiresIn: 604800 }, 604800],
    ['a whole number written with a fraction', { expiresIn: 60.0 }, 60],
  ])('takes %s', (_name, body, expiresIn) => {
    expect(parseLinksRequest(body, 3600)).toEqual({ ok: true, expiresIn });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [{ expiresIn: 60 }]],
    ['a string', '60'],
    ['a number', 60],
    ['zero', { expiresIn: 0 }],
    ['a negative lifetime', { expiresIn: -60 }],
    ['more than a week', { expiresIn: 604801 }],
    ['a fraction', { expiresIn: 1.5 }],
    ['a numeric string', { expiresIn: '60' }],
    ['null lifetime', { expiresIn: null }],
    ['a boolean', { expiresIn: true }],
    ['an unknown field', { expiresIn: 60, expires: 1 }],
    ['a misspelt field', { expiresin: 60 }],
  ])('refuses %s', (_name, body) => {
    const parsed = parseLinksRequest(body, 3600);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.length).toBeGreaterThan(0);
  });
});
