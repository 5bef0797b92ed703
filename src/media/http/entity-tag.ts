export interface EntityTag {
  weak: boolean;
  /** The opaque tag including its quotes, e.g. `"abc"`. */
  opaque: string;
}

export type EntityTagList = '*' | EntityTag[];

// One member of a list and what follows it: `W/"..."` or `"..."` (etagc
// excludes DQUOTE), then a comma or the end. Sticky, so the scan moves
// through the value by index instead of slicing it (no quadratic cost on a
// long hostile header).
const MEMBER = /[ \t]*(W\/)?("[\x21\x23-\x7e\x80-\xff]*")[ \t]*(?:,|$)/y;
const EMPTY_MEMBER = /[ \t]*,/y;

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
  const end = value.replace(/[ \t]+$/, '').length;
  let index = 0;
  while (index < end) {
    MEMBER.lastIndex = index;
    const match = MEMBER.exec(value);
    if (match !== null) {
      tags.push({ weak: match[1] !== undefined, opaque: match[2] });
      index = MEMBER.lastIndex;
      continue;
    }
    // Tolerate empty list elements, as RFC 9110 5.6.1 asks.
    EMPTY_MEMBER.lastIndex = index;
    if (EMPTY_MEMBER.exec(value) === null) {
      return null;
    }
    index = EMPTY_MEMBER.lastIndex;
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
