import { appendQuery, signVideoUrls, withLink } from './signed-urls.js';

const link = { expires: '1800000600', signature: 'A'.repeat(43) };
const q = `expires=1800000600&signature=${'A'.repeat(43)}`;

describe('appendQuery and withLink', () => {
  it('start a query or continue one', () => {
    expect(appendQuery('/a', 'x=1')).toBe('/a?x=1');
    expect(appendQuery('/a?y=2', 'x=1')).toBe('/a?y=2&x=1');
    expect(withLink('/watch/a%2Fb.mp4', link)).toBe(`/watch/a%2Fb.mp4?${q}`);
  });
});

describe('signVideoUrls', () => {
  const base = { id: 'a/b.mp4', name: 'b.mp4', streamUrl: '/api/videos/a%2Fb.mp4/stream', watchUrl: '/watch/a%2Fb.mp4' };

  it('signs the stream and watch URLs and leaves the rest alone', () => {
    expect(signVideoUrls(base, link)).toEqual({ ...base, streamUrl: `${base.streamUrl}?${q}`, watchUrl: `${base.watchUrl}?${q}` });
  });

  it('signs embed, poster and subtitle URLs when present', () => {
    const full = {
      ...base,
      embedUrl: '/embed/a%2Fb.mp4',
      posterUrl: '/api/videos/a%2Fb.mp4/poster',
      subtitles: [{ track: 'en', language: 'en', label: 'English', url: '/api/videos/a%2Fb.mp4/subtitles/en' }],
    };
    expect(signVideoUrls(full, link)).toEqual({
      ...full,
      streamUrl: `${base.streamUrl}?${q}`,
      watchUrl: `${base.watchUrl}?${q}`,
      embedUrl: `/embed/a%2Fb.mp4?${q}`,
      posterUrl: `/api/videos/a%2Fb.mp4/poster?${q}`,
      subtitles: [{ track: 'en', language: 'en', label: 'English', url: `/api/videos/a%2Fb.mp4/subtitles/en?${q}` }],
    });
  });

  it('keeps a null poster null and does not touch the input', () => {
    const view = { ...base, posterUrl: null, subtitles: [] };
    const copy = structuredClone(view);
    expect(signVideoUrls(view, link)).toMatchObject({ posterUrl: null, subtitles: [] });
    expect(view).toEqual(copy);
  });
});
