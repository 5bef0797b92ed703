const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// The three forms RFC 9110 5.6.7 requires recipients to accept.
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * Parses an HTTP-date into milliseconds since the epoch, or null when it is
 * not one. Written by hand because `Date.parse` accepts many other forms and
 * reads asctime dates in the server's local time zone, while RFC 9110 says a
 * recipient must ignore a conditional header whose date is not valid.
 */
export function parseHttpDate(value: string): number | null {
  const text = value.trim();
  let match = IMF_FIXDATE.exec(text);
  if (match !== null) {
    return toMillis(Number(match[4]), match[3], match[2], match.slice(5, 8));
  }
  match = RFC850.exec(text);
  if (match !== null) {
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    const twoDigits = Number(match[4]);
    const thisYear = new Date().getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + twoDigits;
    if (year > thisYear + 50) {
      year -= 100;
    }
    return toMillis(year, match[3], match[2], match.slice(5, 8));
  }
  match = ASCTIME.exec(text);
  if (match !== null) {
    return toMillis(Number(match[7]), match[2], match[3].trim(), match.slice(4, 7));
  }
  return null;
}

function toMillis(year: number, month: string, day: string, time: string[]): number | null {
  const [hours, minutes, seconds] = time.map(Number);
  const monthIndex = MONTHS.indexOf(month);
  const check = new Date(Date.UTC(2000, monthIndex, Number(day), hours, minutes, seconds));
  // setUTCFullYear, because Date.UTC reads years 0-99 as 1900-1999.
  check.setUTCFullYear(year, monthIndex, Number(day));
  const millis = check.getTime();
  // Rejects impossible dates such as 31 Feb, which Date.UTC would roll over.
  if (check.getUTCDate() !== Number(day) || hours > 23 || minutes > 59 || seconds > 60) {
    return null;
  }
  return millis;
}

/** The modification time as `Last-Modified` states it: whole seconds. */
export function truncateToSecond(date: Date): number {
  return Math.floor(date.getTime() / 1000) * 1000;
}

const formatted = new WeakMap<Date, string>();

/**
 * `date` as an IMF-fixdate (RFC 9110 5.6.7), remembered per Date object: the
 * same item's Last-Modified is sent on every request for it, and formatting a
 * date is one of the larger costs of a small-range answer.
 */
export function formatHttpDate(date: Date): string {
  let text = formatted.get(date);
  if (text === undefined) {
    text = date.toUTCString();
    formatted.set(date, text);
  }
  return text;
}
