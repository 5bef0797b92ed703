/** The widths a poster can be asked for (`?width=`). */
export const POSTER_WIDTHS: readonly number[] = [160, 320, 640, 1280];
/** The widest generated poster, when no width is asked. */
export const POSTER_MAX_WIDTH = 1280;

/**
 * `?width=` as Express's simple query parser gives it: undefined -> null (the
 * image as it is), one of POSTER_WIDTHS -> that number, anything else
 * (another number, `0640`, a repeated parameter) -> 'invalid'.
 */
export function parsePosterWidth(raw: unknown): number | null | 'invalid' {
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,4}$/.test(raw)) return 'invalid';
  const width = Number(raw);
  return POSTER_WIDTHS.includes(width) ? width : 'invalid';
}
