import { formatHttpDate, parseHttpDate, truncateToSecond } from './http-date.js';

// The example instant of RFC 9110 5.6.7.
const EXAMPLE = Date.UTC(1994, 10, 6, 8, 49, 37);

/** Milliseconds for a UTC date, also for years 0-99, which Date.UTC maps to 19xx. */
function utc(year: number, month: number, day: number, h = 0, m = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(h, m, s, 0);
  return date.getTime();
}

describe('parseHttpDate', () => {
  describe('the three formats of RFC 9110 5.6.7', () => {
    it.each<[string, string]>([
      ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
      ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
      ['asctime', 'Sun Nov  6 08:49:37 1994'],
    ])('%s: %s', (_format, value) => {
      expect(parseHttpDate(value)).toBe(EXAMPLE);
    });
  });

  describe('IMF-fixdate', () => {
    it.each<[string, number]>([
      ['Thu, 01 Jan 1970 00:00:00 GMT', 0],
      ['Tue, 02 Jan 2024 03:04:05 GMT', Date.UTC(2024, 0, 2, 3, 4, 5)],
      ['Thu, 29 Feb 2024 23:59:59 GMT', Date.UTC(2024, 1, 29, 23, 59, 59)],
      ['Tue, 29 Feb 2000 12:00:00 GMT', Date.UTC(2000, 1, 29, 12, 0, 0)],
      ['Fri, 31 Dec 9999 23:59:59 GMT', Date.UTC(9999, 11, 31, 23, 59, 59)],
      ['Wed, 31 Dec 1969 23:59:59 GMT', -1000],
      ...(
        [
          ['Jan', 0], ['Feb', 1], ['Mar', 2], ['Apr', 3], ['May', 4], ['Jun', 5],
          ['Jul', 6], ['Aug', 7], ['Sep', 8], ['Oct', 9], ['Nov', 10], ['Dec', 11],
        ] as const
      ).map(([name, index]): [string, number] => [
        `Mon, 15 ${name} 2029 10:20:30 GMT`,
        Date.UTC(2029, index, 15, 10, 20, 30),
      ]),
    ])('%s', (value, expected) => {
      expect(parseHttpDate(value)).toBe(expected);
    });

    it('tolerates surrounding whitespace', () => {
      expect(parseHttpDate('  Sun, 06 Nov 1994 08:49:37 GMT\t')).toBe(EXAMPLE);
    });

    it('reads a four-digit year below 100 as that year, not as 19xx', () => {
      expect(parseHttpDate('Sun, 06 Nov 0094 08:49:37 GMT')).toBe(utc(94, 11, 6, 8, 49, 37));
    });
  });

  describe('RFC 850', () => {
    const thisYear = new Date().getUTCFullYear();
    const twoDigits = (year: number): string => String(((year % 100) + 100) % 100).padStart(2, '0');

    it.each([
      'Monday, 01-Jan-24 00:00:00 GMT',
      'Tuesday, 01-Jan-24 00:00:00 GMT',
      'Wednesday, 01-Jan-24 00:00:00 GMT',
      'Thursday, 01-Jan-24 00:00:00 GMT',
      'Friday, 01-Jan-24 00:00:00 GMT',
      'Saturday, 01-Jan-24 00:00:00 GMT',
      'Sunday, 01-Jan-24 00:00:00 GMT',
    ])('accepts every long day name: %s', (value) => {
      expect(parseHttpDate(value)).toBe(Date.UTC(2024, 0, 1));
    });

    it.each<[string, number]>([
      ['this year', thisYear],
      ['ten years ago', thisYear - 10],
      ['ten years ahead', thisYear + 10],
      ['49 years ago', thisYear - 49],
      ['40 years ahead', thisYear + 40],
    ])('a two-digit year %s is read in the nearest century', (_label, year) => {
      expect(parseHttpDate(`Sunday, 15-Jun-${twoDigits(year)} 12:00:00 GMT`)).toBe(Date.UTC(year, 5, 15, 12));
    });

    it('a year that would be more than 50 years ahead is in the past century (RFC 9110 5.6.7)', () => {
      const year = thisYear + 60;
      expect(parseHttpDate(`Sunday, 15-Jun-${twoDigits(year)} 12:00:00 GMT`)).toBe(Date.UTC(year - 100, 5, 15, 12));
    });

    it('rejects a four-digit year', () => {
      expect(parseHttpDate('Sunday, 06-Nov-1994 08:49:37 GMT')).toBeNull();
    });
  });

  describe('asctime', () => {
    it.each<[string, number]>([
      ['Sun Nov  6 08:49:37 1994', EXAMPLE],
      ['Sun Nov 06 08:49:37 1994', EXAMPLE],
      ['Thu Jan  1 00:00:00 1970', 0],
      ['Wed Dec 31 23:59:59 2025', Date.UTC(2025, 11, 31, 23, 59, 59)],
      ['Thu Feb 29 10:00:00 2024', Date.UTC(2024, 1, 29, 10)],
    ])('%j', (value, expected) => {
      expect(parseHttpDate(value)).toBe(expected);
    });

    it('reads the time as GMT, whatever the server time zone', () => {
      // Date.parse would read asctime in local time.
      expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    });
  });

  describe('invalid dates -> null', () => {
    it.each([
      '',
      '   ',
      'now',
      '0',
      '784111777',
      '1994-11-06T08:49:37Z',
      '1994-11-06 08:49:37',
      'Sun, 06 Nov 1994 08:49:37 UTC',
      'Sun, 06 Nov 1994 08:49:37 +0000',
      'Sun, 06 Nov 1994 08:49:37',
      'Sun, 06 Nov 1994 08:49 GMT',
      'Sun, 6 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 94 08:49:37 GMT',
      'Sun, 06 November 1994 08:49:37 GMT',
      'Sunday, 06 Nov 1994 08:49:37 GMT',
      'Sun 06 Nov 1994 08:49:37 GMT',
      'Sun,  06 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 8:49:37 GMT',
      'sun, 06 nov 1994 08:49:37 gmt',
      'SUN, 06 NOV 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 GMTx',
      'Xyz, 06 Nov 1994 08:49:37 GMT',
      'Sun, 06 Foo 1994 08:49:37 GMT',
      // impossible calendar dates and times
      'Sat, 31 Feb 2024 00:00:00 GMT',
      'Thu, 29 Feb 2023 00:00:00 GMT',
      'Thu, 29 Feb 1900 00:00:00 GMT',
      'Sun, 31 Apr 2024 00:00:00 GMT',
      'Sun, 00 Nov 1994 08:49:37 GMT',
      'Sun, 32 Dec 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 24:00:00 GMT',
      'Sun, 06 Nov 1994 25:00:00 GMT',
      'Sun, 06 Nov 1994 08:60:00 GMT',
      'Sun, 06 Nov 1994 08:49:61 GMT',
      'Sun, 06 Nov 1994 99:99:99 GMT',
      // broken RFC 850 and asctime
      'Sun, 06-Nov-94 08:49:37 GMT',
      'Sunday, 6-Nov-94 08:49:37 GMT',
      'Sunday, 31-Feb-94 08:49:37 GMT',
      'Sun Nov 6 08:49:37 1994',
      'Sun Nov  6 08:49:37 1994 GMT',
      'Sun Nov  6 08:49:37 94',
      'Sunday Nov  6 08:49:37 1994',
      'Sun Nov 31 08:49:37 1994',
    ])('%j', (value) => {
      expect(parseHttpDate(value)).toBeNull();
    });
  });
});

describe('truncateToSecond', () => {
  it.each<[string, number]>([
    ['2024-01-02T03:04:05.000Z', Date.UTC(2024, 0, 2, 3, 4, 5)],
    ['2024-01-02T03:04:05.001Z', Date.UTC(2024, 0, 2, 3, 4, 5)],
    ['2024-01-02T03:04:05.999Z', Date.UTC(2024, 0, 2, 3, 4, 5)],
    ['1970-01-01T00:00:00.500Z', 0],
    // before the epoch: down to the second Last-Modified (toUTCString) shows
    ['1969-12-31T23:59:58.500Z', -2000],
  ])('%s', (iso, expected) => {
    expect(truncateToSecond(new Date(iso))).toBe(expected);
  });

  it('agrees with what toUTCString shows', () => {
    const date = new Date('2024-01-02T03:04:05.678Z');
    expect(truncateToSecond(date)).toBe(Date.parse(date.toUTCString()));
  });
});

describe('formatHttpDate', () => {
  it('gives the IMF-fixdate of the date, the same text for the same Date', () => {
    const date = new Date(Date.UTC(1994, 10, 6, 8, 49, 37, 999));
    expect(formatHttpDate(date)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(formatHttpDate(date)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(formatHttpDate(new Date(0))).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });
});
