import type { StoredFile } from '../../media/storage/media-scanner.js';
import { diff, sameFile } from './scan-diff.js';

const file = (id: string, etag = '"1"', size = 1, mtime = 0): StoredFile => ({ id, etag, size, modifiedAt: new Date(mtime) });

describe('diff', () => {
  const known = new Map([file('same'), file('changed'), file('gone')].map((f) => [f.id, f]));

  it('writes new and changed files only, and removes what a complete scan did not find', () => {
    const found = [file('same'), file('changed', '"2"'), file('new')];
    const result = diff(found, (id) => known.get(id), known.keys(), sameFile, true);
    expect(result.upserts.map((f) => f.id)).toEqual(['changed', 'new']);
    expect(result.removals).toEqual(['gone']);
  });

  it('removes nothing for a partial scan', () => {
    expect(diff([file('new')], (id) => known.get(id), known.keys(), sameFile, false)).toEqual({ upserts: [file('new')], removals: [] });
  });

  it('counts a size or date change as a change even with the same ETag', () => {
    expect(sameFile(file('x'), file('x', '"1"', 2))).toBe(false);
    expect(sameFile(file('x'), file('x', '"1"', 1, 5))).toBe(false);
    expect(sameFile(file('x'), file('x'))).toBe(true);
  });
});
