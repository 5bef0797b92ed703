import { MAX_ID_BYTES, idBaseName, isHiddenId, malformedIdReason } from './media-id.js';

const EMPTY = 'The media ID is empty.';
const TOO_LONG = 'The media ID is longer than 1024 bytes.';
const FORBIDDEN = 'The media ID contains a control character or a backslash.';
const ABSOLUTE = 'The media ID must be relative.';
const SEGMENT = 'The media ID contains an empty, "." or ".." segment.';

describe('malformedIdReason', () => {
  it('allows at most 1024 bytes', () => {
    expect(MAX_ID_BYTES).toBe(1024);
  });

  describe('well-formed IDs -> null', () => {
    it.each([
      'sample.mp4',
      'trailers/big buck bunny.webm',
      'a/b/c/d.mkv',
      ' leading and trailing spaces ',
      '100% done.mp4',
      '%2e%2e',
      '%2F',
      'caf\u00e9.mp4',
      '\u65e5\u672c\u8a9e/\u52d5\u753b.mp4',
      '\u{1F3AC} clip.mp4',
      'a..b.mp4',
      '...',
      '.hidden.mp4',
      'dir/.hidden',
      '..a',
      'a..',
      'C:/video.mp4',
      'name with "quotes" & <angle> brackets?.mp4',
      'tab\u00a0nbsp.mp4',
      'x',
    ])('%j', (id) => {
      expect(malformedIdReason(id)).toBeNull();
    });
  });

  it('rejects the empty ID', () => {
    expect(malformedIdReason('')).toBe(EMPTY);
  });

  describe('absolute IDs', () => {
    it.each(['/', '/etc/passwd', '/sample.mp4', '//server/share'])('%j', (id) => {
      expect(malformedIdReason(id)).toBe(ABSOLUTE);
    });
  });

  describe('".", ".." and empty segments', () => {
    it.each([
      '.',
      '..',
      './a.mp4',
      '../a.mp4',
      '../../etc/passwd',
      'a/./b.mp4',
      'a/../b.mp4',
      'a/..',
      'a/.',
      'a//b.mp4',
      'a/',
      'a/b/',
      'a///b',
    ])('%j', (id) => {
      expect(malformedIdReason(id)).toBe(SEGMENT);
    });
  });

  describe('backslashes and control characters', () => {
    it.each([
      ['a backslash', 'a\\b.mp4'],
      ['a leading backslash', '\\a.mp4'],
      ['backslash traversal', '..\\..\\etc\\passwd'],
      ['NUL', 'a\u0000.mp4'],
      ['NUL at the end', 'a.mp4\u0000'],
      ['SOH', 'a\u0001b'],
      ['TAB', 'a\tb.mp4'],
      ['LF', 'a\nb.mp4'],
      ['CR', 'a\rb.mp4'],
      ['ESC', 'a\u001bb.mp4'],
      ['US (0x1f)', 'a\u001fb.mp4'],
      ['DEL', 'a\u007fb.mp4'],
    ])('%s', (_name, id) => {
      expect(malformedIdReason(id)).toBe(FORBIDDEN);
    });
  });

  describe('length in bytes of UTF-8', () => {
    it.each<[string, string, string | null]>([
      ['1024 ASCII bytes', 'a'.repeat(1024), null],
      ['1025 ASCII bytes', 'a'.repeat(1025), TOO_LONG],
      ['1022 + a 2-byte char = 1024 bytes', 'a'.repeat(1022) + '\u00e9', null],
      ['1023 + a 2-byte char = 1025 bytes (1024 UTF-16 units)', 'a'.repeat(1023) + '\u00e9', TOO_LONG],
      ['1021 + a 3-byte char = 1024 bytes', 'a'.repeat(1021) + '\u20ac', null],
      ['1022 + a 3-byte char = 1025 bytes', 'a'.repeat(1022) + '\u20ac', TOO_LONG],
      ['1020 + a 4-byte char = 1024 bytes', 'a'.repeat(1020) + '\u{1F600}', null],
      ['1021 + a 4-byte char = 1025 bytes', 'a'.repeat(1021) + '\u{1F600}', TOO_LONG],
      ['512 two-byte chars = 1024 bytes', '\u00e9'.repeat(512), null],
      ['513 two-byte chars = 1026 bytes', '\u00e9'.repeat(513), TOO_LONG],
      ['342 three-byte chars = 1026 bytes (342 UTF-16 units)', '\u65e5'.repeat(342), TOO_LONG],
      ['341 three-byte chars + "a" = 1024 bytes', '\u65e5'.repeat(341) + 'a', null],
      ['a long path of short folders', 'ab/'.repeat(341) + 'a', null],
      ['a long path of short folders, one byte over', 'ab/'.repeat(341) + 'aa', TOO_LONG],
    ])('%s', (_name, id, expected) => {
      expect(malformedIdReason(id)).toBe(expected);
    });
  });

  it('never echoes the ID in its reason', () => {
    for (const id of ['/etc/passwd', '../secret', 'a\\b', 'x'.repeat(2000)]) {
      const reason = malformedIdReason(id);
      expect(reason).not.toBeNull();
      expect(reason).not.toContain(id);
    }
  });
});

describe('isHiddenId', () => {
  it.each<[string, boolean]>([
    ['sample.mp4', false],
    ['a/b/c.mp4', false],
    ['a.b/c.d.mp4', false],
    ['video.', false],
    ['.hidden.mp4', true],
    ['.mp4', true],
    ['dir/.hidden.mp4', true],
    ['.dir/visible.mp4', true],
    ['a/.b/c.mp4', true],
    ['...', true],
  ])('%j -> %s', (id, expected) => {
    expect(isHiddenId(id)).toBe(expected);
  });
});

describe('idBaseName', () => {
  it.each<[string, string]>([
    ['sample.mp4', 'sample.mp4'],
    ['trailers/big buck bunny.webm', 'big buck bunny.webm'],
    ['a/b/c/d.mkv', 'd.mkv'],
    ['\u65e5\u672c/\u52d5\u753b.mp4', '\u52d5\u753b.mp4'],
    ['100%/50%.mp4', '50%.mp4'],
  ])('%j -> %j', (id, expected) => {
    expect(idBaseName(id)).toBe(expected);
  });
});
