import { DEFAULT_MEDIA_EXTENSIONS, MediaTypes, extensionOf } from './media-types.js';

describe('extensionOf', () => {
  it.each<[string, string]>([
    ['a.mp4', 'mp4'],
    ['a.MP4', 'mp4'],
    ['a.Mp4', 'mp4'],
    ['dir/a.webm', 'webm'],
    ['a.tar.gz', 'gz'],
    ['big buck bunny.WebM', 'webm'],
    ['noext', ''],
    ['a.', ''],
    ['.mp4', ''],
    ['dir/.mp4', ''],
    ['dir.mp4/file', ''],
    ['dir.mp4/', ''],
    ['', ''],
  ])('%j -> %j', (name, expected) => {
    expect(extensionOf(name)).toBe(expected);
  });
});

describe('MediaTypes', () => {
  describe('isMedia', () => {
    const types = new MediaTypes(['mp4', 'webm', 'MKV']);

    it.each<[string, boolean]>([
      ['a.mp4', true],
      ['a.MP4', true],
      ['a.Mp4', true],
      ['dir/sub/a.webm', true],
      ['a.WEBM', true],
      ['a.mkv', true],
      ['a.MKV', true],
      ['a.mov', false],
      ['a.mp4.txt', false],
      ['a.txt.mp4', true],
      ['mp4', false],
      ['a.mp', false],
      ['a.mp44', false],
      ['a.', false],
      ['noext', false],
      ['dir.mp4/file', false],
      ['.mp4', false],
    ])('%j -> %s', (name, expected) => {
      expect(types.isMedia(name)).toBe(expected);
    });

    it('knows the default extensions', () => {
      const defaults = new MediaTypes(DEFAULT_MEDIA_EXTENSIONS);
      for (const ext of DEFAULT_MEDIA_EXTENSIONS) {
        expect(defaults.isMedia(`clip.${ext}`)).toBe(true);
        expect(defaults.isMedia(`clip.${ext.toUpperCase()}`)).toBe(true);
      }
      expect(defaults.isMedia('notes.txt')).toBe(false);
      expect(defaults.isMedia('page.html')).toBe(false);
    });

    it('an empty list accepts nothing', () => {
      expect(new MediaTypes([]).isMedia('a.mp4')).toBe(false);
    });
  });

  describe('contentType', () => {
    const types = new MediaTypes(DEFAULT_MEDIA_EXTENSIONS);

    it.each<[string, string]>([
      ['a.mp4', 'video/mp4'],
      ['a.MP4', 'video/mp4'],
      ['dir/a.Mp4', 'video/mp4'],
      ['a.m4v', 'video/x-m4v'],
      ['a.webm', 'video/webm'],
      ['a.WEBM', 'video/webm'],
      ['a.mkv', 'video/x-matroska'],
      ['a.mov', 'video/quicktime'],
      ['a.ogv', 'video/ogg'],
      ['a.avi', 'video/x-msvideo'],
      ['a.mpg', 'video/mpeg'],
      ['a.mpeg', 'video/mpeg'],
      ['a.3gp', 'video/3gpp'],
      ['a.mp3', 'audio/mpeg'],
      ['a.MP3', 'audio/mpeg'],
      ['a.m4a', 'audio/mp4'],
      ['a.aac', 'audio/aac'],
      ['a.ogg', 'audio/ogg'],
      ['a.oga', 'audio/ogg'],
      ['a.wav', 'audio/wav'],
      ['a.weba', 'audio/webm'],
      // MPEG transport streams, not TypeScript sources
      ['a.ts', 'video/mp2t'],
      ['a.TS', 'video/mp2t'],
      ['dir/a.Ts', 'video/mp2t'],
      ['a.m2ts', 'video/mp2t'],
    ])('%j -> %s', (name, expected) => {
      expect(types.contentType(name)).toBe(expected);
    });

    it.each(['noext', 'a.unknownext', 'a.UNKNOWNEXT', 'a.', 'dir.mp4/file', 'a.mp4x'])(
      'falls back to application/octet-stream for %j',
      (name) => {
        expect(types.contentType(name)).toBe('application/octet-stream');
      },
    );

    it('does not depend on the configured extensions', () => {
      expect(new MediaTypes(['xyz123']).contentType('a.xyz123')).toBe('application/octet-stream');
      expect(new MediaTypes([]).contentType('a.webm')).toBe('video/webm');
    });
  });
});
