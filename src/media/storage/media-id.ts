/** Longest ID accepted, in bytes of UTF-8 after percent-decoding. */
export const MAX_ID_BYTES = 1024;

// C0 and C1 controls, DEL, and the backslash that some file systems treat as a separator.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\x00-\x1f\x7f-\x9f\\]/;

/**
 * Why a decoded ID is malformed, or null when it is well-formed. A malformed
 * ID never reaches storage, so its answer cannot depend on what exists there.
 */
export function malformedIdReason(id: string): string | null {
  if (id.length === 0) {
    return 'The media ID is empty.';
  }
  if (Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) {
    return `The media ID is longer than ${MAX_ID_BYTES} bytes.`;
  }
  if (FORBIDDEN.test(id)) {
    return 'The media ID contains a control character or a backslash.';
  }
  if (id.startsWith('/')) {
    return 'The media ID must be relative.';
  }
  for (const segment of id.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      return 'The media ID contains an empty, "." or ".." segment.';
    }
  }
  return null;
}

/** True when a part of a well-formed ID is hidden (a dotfile or dot-folder). */
export function isHiddenId(id: string): boolean {
  return id.split('/').some((segment) => segment.startsWith('.'));
}

/** The last segment of an ID: the item's display name. */
export function idBaseName(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}
