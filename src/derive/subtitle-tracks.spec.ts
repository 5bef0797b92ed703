import type { StoredFile } from '../media/storage/media-scanner.js';
import { findSubtitleTrack, posterSidecar, subtitleTracks, trackLabel } from './subtitle-tracks.js';

const file = (id: string): StoredFile => ({ id, size: 1, modifiedAt: new Date(0), etag: `"${id}"` });

describe('subtitle tracks', () => {
  it('labels languages in English', () => {
    expect(trackLabel('en')).toBe('English');
    expect(trackLabel('pt-BR')).toBe('Brazilian Portuguese');
    expect(trackLabel(null)).toBe('Subtitles');
    expect(trackLabel('qaa')).toBe('qaa');
  });

  it('finds, sorts and labels the tracks of one item', () => {
    const files = ['t/clip.vtt', 't/clip.pt-BR.srt', 't/clip.en.vtt', 't/clip.en.srt', 't/other.fr.vtt', 't/clip.mp4', 'clip.de.vtt'].map(file);
    const tracks = subtitleTracks('t/clip.mp4', files);
    expect(tracks.map((t) => [t.track, t.language, t.label, t.file.id, t.format])).toEqual([
      ['default', null, 'Subtitles', 't/clip.vtt', 'vtt'],
      ['en', 'en', 'English', 't/clip.en.vtt', 'vtt'],
      ['pt-BR', 'pt-BR', 'Brazilian Portuguese', 't/clip.pt-BR.srt', 'srt'],
    ]);
    expect(findSubtitleTrack('t/clip.mp4', files, 'PT-br')?.file.id).toBe('t/clip.pt-BR.srt');
    expect(findSubtitleTrack('t/clip.mp4', files, 'fr')).toBeNull();
  });

  it('gives clip.en.vtt to clip.en.mp4 as its default track', () => {
    expect(subtitleTracks('clip.en.mp4', [file('clip.en.vtt')]).map((t) => t.track)).toEqual(['default']);
  });

  it('prefers jpg, then jpeg, png, webp for the sidecar poster', () => {
    expect(posterSidecar('a/clip.mp4', ['a/clip.webp', 'a/clip.png', 'a/clip.jpeg'].map(file))?.id).toBe('a/clip.jpeg');
    expect(posterSidecar('a/clip.mp4', ['a/clip.webp', 'a/clip.jpg'].map(file))?.id).toBe('a/clip.jpg');
    expect(posterSidecar('a/clip.mp4', ['a/clip.en.jpg', 'b/clip.jpg'].map(file))).toBeNull();
  });
});
