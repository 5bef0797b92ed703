export interface EntityTag {
  weak: boolean;
  /** The opaque tag including its quotes, e.g. `"abc"`. */
  opaque: string;
}

export type EntityTagList = '*' | EntityTag[];

// One member of a list: `W/"..."` or `"..."`, etagc excluding DQUOTE.
const MEMBER = /^\s*(W\/)?("[\x21\x23-\x7e\x80-\xff]*")\s*(?:,|$)/;

/**
 * Parses `If-Match` / `If-None-Match` values. Written by hand because an
 * opaque tag may itself contain commas, so splitting on commas (as `fresh`
 * does) can misread a list. Returns null for a syntactically invalid field.
 */
export function parseEntityTagList(value: string): EntityTagList | null {
  if (value.trim() === '*') {
    return '*';
  }
  const tags: EntityTag[] = [];
  let rest = value;
  while (rest.trim().length > 0) {
    const match = MEMBER.exec(rest);
    if (match === null) {
      // Tolerate empty list elements, as RFC 9110 5.6.1 asks.
      const empty = /^\s*,/.exec(rest);
      if (empty === null) {
        return null;
      }
      rest = rest.slice(empty[0].length);
      continue;
    }
    tags.push({ weak: match[1] !== undefined, opaque: match[2] });
    rest = rest.slice(match[0].length);
  }
  return tags;
}

export function parseEntityTag(value: string): EntityTag | null {
  const list = parseEntityTagList(value);
  return Array.isArray(list) && list.length === 1 ? list[0] : null;
}

/** RFC 9110 8.8.3.2: both strong and equal. */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/** RFC 9110 8.8.3.2: equal opaque tags, weak or not. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}
