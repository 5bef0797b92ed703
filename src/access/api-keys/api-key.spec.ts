import { isKnownApiKey, presentedApiKey } from './api-key.js';

const KEY = 'api-key-0123456789abcdefgh';
const OTHER = 'api-key-zyxwvutsrqponmlkji';

describe('presentedApiKey', () => {
  it.each<[string, Record<string, string>, string | null]>([
    ['Bearer', { authorization: `Bearer ${KEY}` }, KEY],
    ['bearer in lower case', { authorization: `bearer ${KEY}` }, KEY],
    ['BEARER in upper case', { authorization: `BEARER ${KEY}` }, KEY],
    ['X-API-Key', { 'x-api-key': KEY }, KEY],
    ['X-API-Key with spaces around', { 'x-api-key': ` ${KEY} ` }, KEY],
    ['Bearer before X-API-Key', { authorization: `Bearer ${KEY}`, 'x-api-key': OTHER }, KEY],
    ['X-API-Key beside another scheme', { authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': KEY }, KEY],
    ['another scheme alone', { authorization: `Basic ${KEY}` }, null],
    ['Bearer without a token', { authorization: 'Bearer ' }, null],
    ['Bearer with two tokens', { authorization: `Bearer ${KEY} ${OTHER}` }, null],
    ['the key without a scheme', { authorization: KEY }, null],
    ['an empty X-API-Key', { 'x-api-key': '  ' }, null],
    ['nothing', {}, null],
  ])('%s', (_name, headers, expected) => {
    expect(presentedApiKey(headers)).toBe(expected);
  });
});

describe('isKnownApiKey', () => {
  it('knows every configured key', () => {
    expect(isKnownApiKey([KEY, OTHER], KEY)).toBe(true);
    expect(isKnownApiKey([KEY, OTHER], OTHER)).toBe(true);
  });

  it.each([null, '', `${KEY} `, KEY.slice(0, -1), `${KEY}x`, KEY.toUpperCase(), 'x'.repeat(10_000)])('refuses %j', (presented) => {
    expect(isKnownApiKey([KEY, OTHER], presented)).toBe(false);
  });

  it('refuses everything without keys', () => {
    expect(isKnownApiKey([], KEY)).toBe(false);
  });
});
