import { isLanguageTag, itemStem, sidecarKind, sidecarOwners } from './sidecar-names.js';

describe('sidecar names', () => {
  it.each([
    ['clip.jpg', 'image'], ['clip.JPEG', 'image'], ['a/b.png', 'image'], ['c.webp', 'image'],
    ['clip.vtt', 'subtitle'], ['clip.en.SRT', 'subtitle'], ['clip.mp4', null], ['clip', null], ['.vtt', null],
  ])('%s is a %s sidecar', (name, kind) => {
    expect(sidecarKind(name)).toBe(kind);
  });

  it('takes the extension off an item ID', () => {
    expect(itemStem('trailers/clip.mp4')).toBe('trailers/clip');
    expect(itemStem('a.b/clip.en.mkv')).toBe('a.b/clip.en');
    expect(itemStem('noext')).toBe('noext');
  });

  it.each(['en', 'pt-BR', 'zh-Hant-TW', 'EN', 'deu', 'sr-Latn'])('%s is a language tag', (tag) => {
    expect(isLanguageTag(tag)).toBe(true);
  });

  it.each(['', 'e', 'english-long-name', 'x-klingon', 'en_US', 'en-', '12', 'pt-BR-', 'en--US', 'a'.repeat(9)])('%s is not a language tag', (tag) => {
    expect(isLanguageTag(tag)).toBe(false);
  });

  it('gives an image one owner', () => {
    expect(sidecarOwners('t/clip.jpg')).toEqual([{ itemStem: 't/clip', kind: 'image', tag: null, extension: 'jpg' }]);
    expect(sidecarOwners('t/clip.en.jpg')).toEqual([{ itemStem: 't/clip.en', kind: 'image', tag: null, extension: 'jpg' }]);
  });

  it('gives a tagged subtitle two possible owners', () => {
    expect(sidecarOwners('t/clip.pt-BR.srt')).toEqual([
      { itemStem: 't/clip.pt-BR', kind: 'subtitle', tag: null, extension: 'srt' },
      { itemStem: 't/clip', kind: 'subtitle', tag: 'pt-BR', extension: 'srt' },
    ]);
  });

  it('does not read a tag out of a folder name or a bad tag', () => {
    expect(sidecarOwners('x.en/clip.vtt')).toEqual([{ itemStem: 'x.en/clip', kind: 'subtitle', tag: null, extension: 'vtt' }]);
    expect(sidecarOwners('clip.not_a_tag.vtt')).toHaveLength(1);
    expect(sidecarOwners('dir/.vtt')).toEqual([]);
    expect(sidecarOwners('clip.mp4')).toEqual([]);
  });
});
