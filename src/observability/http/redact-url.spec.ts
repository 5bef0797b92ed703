import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it.each([
    ['/api/videos/a.mp4/stream', '/api/videos/a.mp4/stream'],
    ['/watch/a.mp4?expires=10', '/watch/a.mp4?expires=10'],
    ['/watch/a.mp4?expires=10&signature=abc', '/watch/a.mp4?expires=10&signature=[REDACTED]'],
    ['/x?signature=a&signature=b', '/x?signature=[REDACTED]&signature=[REDACTED]'],
    ['/x?sig%6Eature=a', '/x?sig%6Eature=[REDACTED]'],
    ['/x?SIGNATURE=a', '/x?SIGNATURE=[REDACTED]'],
    ['/x?signature', '/x?signature=[REDACTED]'],
    ['/x?signatures=a&%zz=b', '/x?signatures=a&%zz=b'],
    ['/x?a=signature=b', '/x?a=signature=b'],
  ])('%s -> %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
