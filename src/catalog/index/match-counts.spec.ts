import { MatchCounts } from './match-counts.js';

describe('MatchCounts', () => {
  it('remembers a count per filter for one revision', () => {
    const counts = new MatchCounts();
    counts.set(3, null, 'clip', 12);
    counts.set(3, 'audio', 'clip', 2);
    expect(counts.get(3, null, 'clip')).toBe(12);
    expect(counts.get(3, 'audio', 'clip')).toBe(2);
    expect(counts.get(3, 'video', 'clip')).toBeNull();
    expect(counts.get(3, null, 'clip2')).toBeNull();
  });

  it('forgets every count when the index changes', () => {
    const counts = new MatchCounts();
    counts.set(3, null, 'clip', 12);
    expect(counts.get(4, null, 'clip')).toBeNull();
    expect(counts.get(3, null, 'clip')).toBeNull();
  });

  it('keeps a filter apart from a needle that looks like one', () => {
    const counts = new MatchCounts();
    counts.set(1, 'audio', '', 5);
    expect(counts.get(1, null, 'audio')).toBeNull();
  });
});
