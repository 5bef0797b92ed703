import { ByteRange, RangeOptions, RangeParseResult, coalesce, parseRangeHeader } from './http-range.js';

const SIZE = 10_000;
const OPTIONS: RangeOptions = { maxRanges: 100, maxOpenEndedBytes: 0 };

function parse(header: string, size = SIZE, options: Partial<RangeOptions> = {}): RangeParseResult {
  return parseRangeHeader(header, size, { ...OPTIONS, ...options });
}

function ranges(...pairs: Array<[number, number]>): RangeParseResult {
  return { kind: 'ranges', ranges: pairs.map(([start, end]) => ({ start, end })) };
}

const IGNORE: RangeParseResult = { kind: 'ignore' };
const UNSATISFIABLE: RangeParseResult = { kind: 'unsatisfiable' };

describe('parseRangeHeader', () => {
  describe('single satisfiable ranges', () => {
    it.each<[string, number, number]>([
      ['bytes=0-0', 0, 0],
      ['bytes=0-9', 0, 9],
      ['bytes=10-19', 10, 19],
      ['bytes=9999-9999', 9999, 9999],
      ['bytes=0-9999', 0, 9999],
      ['bytes=0-', 0, 9999],
      ['bytes=9990-', 9990, 9999],
      ['bytes=9999-', 9999, 9999],
      ['bytes=-1', 9999, 9999],
      ['bytes=-100', 9900, 9999],
      ['bytes=-10000', 0, 9999],
      ['bytes=007-010', 7, 10],
    ])('%s -> %i-%i', (header, start, end) => {
      expect(parse(header)).toEqual(ranges([start, end]));
    });
  });

  describe('an end past the file is clipped to the last byte', () => {
    it.each<[string, number, number]>([
      ['bytes=0-10000', 0, 9999],
      ['bytes=9000-12345', 9000, 9999],
      ['bytes=9990-99999999999999999999', 9990, 9999],
      ['bytes=0-99999999999999999999999999999999999999999999', 0, 9999],
      ['bytes=5-9007199254740993', 5, 9999],
      // so many digits that Number() gives Infinity
      [`bytes=100-${'9'.repeat(400)}`, 100, 9999],
    ])('%s -> %i-%i', (header, start, end) => {
      expect(parse(header)).toEqual(ranges([start, end]));
    });
  });

  describe('a suffix longer than the file is the whole file', () => {
    it.each(['bytes=-10001', 'bytes=-20000', 'bytes=-99999999999999999999', 'bytes=-9'.padEnd(60, '9')])(
      '%s -> 0-9999',
      (header) => {
        expect(parse(header)).toEqual(ranges([0, 9999]));
      },
    );

    it('a suffix so long that Number() gives Infinity', () => {
      expect(parse(`bytes=-${'9'.repeat(400)}`)).toEqual(ranges([0, 9999]));
    });

    it('works on a one-byte file', () => {
      expect(parse('bytes=-5', 1)).toEqual(ranges([0, 0]));
    });
  });

  describe('the unit name is case-insensitive', () => {
    it.each(['bytes=0-9', 'BYTES=0-9', 'Bytes=0-9', 'bYtEs=0-9'])('%s', (header) => {
      expect(parse(header)).toEqual(ranges([0, 9]));
    });
  });

  describe('whitespace around "=" and commas is allowed', () => {
    it.each<[string, RangeParseResult]>([
      ['bytes =0-9', ranges([0, 9])],
      ['bytes= 0-9', ranges([0, 9])],
      ['bytes = 0-9', ranges([0, 9])],
      [' bytes=0-9 ', ranges([0, 9])],
      ['bytes=\t0-9\t', ranges([0, 9])],
      ['bytes=0-9 ,20-29', ranges([0, 9], [20, 29])],
      ['bytes=0-9, 20-29', ranges([0, 9], [20, 29])],
      ['bytes=0-9 , 20-29', ranges([0, 9], [20, 29])],
      ['bytes = 0-9 ,\t20-29 , -5', ranges([0, 9], [20, 29], [9995, 9999])],
    ])('%j', (header, expected) => {
      expect(parse(header)).toEqual(expected);
    });
  });

  describe('empty list elements are skipped (RFC 9110 5.6.1)', () => {
    it.each<[string, RangeParseResult]>([
      ['bytes=0-9,', ranges([0, 9])],
      ['bytes=,0-9', ranges([0, 9])],
      ['bytes=0-9,,', ranges([0, 9])],
      ['bytes=0-9, ,', ranges([0, 9])],
      ['bytes=0-9,,20-29', ranges([0, 9], [20, 29])],
      ['bytes= , 0-9 , , 20-29 , ', ranges([0, 9], [20, 29])],
    ])('%j', (header, expected) => {
      expect(parse(header)).toEqual(expected);
    });

    it.each(['bytes=', 'bytes=,', 'bytes= , ,', 'bytes=   '])(
      '%j has no range spec at all and is ignored',
      (header) => {
        expect(parse(header)).toEqual(IGNORE);
      },
    );
  });

  describe('several ranges', () => {
    it('keeps disjoint ranges in request order', () => {
      expect(parse('bytes=500-599,0-99,9000-')).toEqual(ranges([500, 599], [0, 99], [9000, 9999]));
    });

    it('merges overlapping ranges', () => {
      expect(parse('bytes=0-99,50-149')).toEqual(ranges([0, 149]));
    });

    it('merges adjacent ranges', () => {
      expect(parse('bytes=0-9,10-19')).toEqual(ranges([0, 19]));
    });

    it('merges a range contained in another', () => {
      expect(parse('bytes=0-999,100-199')).toEqual(ranges([0, 999]));
    });

    it('merges a suffix with an overlapping range', () => {
      expect(parse('bytes=9000-9499,-1000')).toEqual(ranges([9000, 9999]));
    });

    it('places merged ranges at the position of their earliest member', () => {
      expect(parse('bytes=500-599,0-99,50-149')).toEqual(ranges([500, 599], [0, 149]));
      expect(parse('bytes=50-149,500-599,0-99')).toEqual(ranges([0, 149], [500, 599]));
    });

    it('merges a chain that only joins through a later member', () => {
      expect(parse('bytes=0-4,10-14,5-9,100-109')).toEqual(ranges([0, 14], [100, 109]));
    });

    it('drops unsatisfiable members but keeps the satisfiable ones', () => {
      expect(parse('bytes=20000-30000,0-9,-0')).toEqual(ranges([0, 9]));
    });

    it('never adds up to more than the file', () => {
      const result = parse('bytes=0-,0-,0-,-10000,100-200');
      expect(result).toEqual(ranges([0, 9999]));
    });
  });

  describe('the number of ranges', () => {
    const disjoint = (count: number): string =>
      'bytes=' + Array.from({ length: count }, (_, i) => `${i * 2}-${i * 2}`).join(',');

    it('accepts exactly maxRanges ranges', () => {
      const result = parse(disjoint(100));
      expect(result.kind).toBe('ranges');
      expect(result.kind === 'ranges' && result.ranges.length).toBe(100);
      expect(result.kind === 'ranges' && result.ranges[99]).toEqual({ start: 198, end: 198 });
    });

    it('ignores a header with more than maxRanges ranges', () => {
      expect(parse(disjoint(101))).toEqual(IGNORE);
    });

    it('does not count empty list elements', () => {
      expect(parse(disjoint(100) + ',,,')).not.toEqual(IGNORE);
    });

    it('counts ranges before merging', () => {
      const overlapping = 'bytes=' + Array.from({ length: 101 }, () => '0-9').join(',');
      expect(parse(overlapping)).toEqual(IGNORE);
    });

    it('honours a smaller maxRanges', () => {
      expect(parse('bytes=0-0,2-2,4-4', SIZE, { maxRanges: 2 })).toEqual(IGNORE);
      expect(parse('bytes=0-0,2-2', SIZE, { maxRanges: 2 })).toEqual(ranges([0, 0], [2, 2]));
    });
  });

  describe('no satisfiable range -> unsatisfiable', () => {
    it.each<[string, number]>([
      ['bytes=10000-', SIZE],
      ['bytes=10000-10000', SIZE],
      ['bytes=10000-99999', SIZE],
      ['bytes=12345-', SIZE],
      ['bytes=9007199254740991-', SIZE],
      ['bytes=-0', SIZE],
      ['bytes=-00', SIZE],
      ['bytes=10000-,-0,20000-20001', SIZE],
      ['bytes=0-', 0],
      ['bytes=0-0', 0],
      ['bytes=0-99', 0],
      ['bytes=-1', 0],
      ['bytes=-100', 0],
      ['bytes=-0', 0],
      ['bytes=0-0,-5', 0],
      ['bytes=1-', 1],
    ])('%s on a file of %i bytes', (header, size) => {
      expect(parse(header, size)).toEqual(UNSATISFIABLE);
    });
  });

  describe('a header that is not a valid bytes range set is ignored', () => {
    it.each([
      // another unit or no unit
      'items=0-9',
      'byte=0-9',
      'bytess=0-9',
      'none',
      '0-9',
      'bytes 0-9',
      '',
      '=0-9',
      // non-digits
      'bytes=a-b',
      'bytes=0-9x',
      'bytes=x0-9',
      'bytes=0x10-0x20',
      'bytes=1.5-2',
      'bytes=+1-2',
      'bytes=1-+2',
      'bytes=--5',
      'bytes=-+5',
      'bytes=-5-',
      'bytes=-',
      'bytes=0-9-10',
      'bytes=0_9',
      'bytes=09',
      'bytes=0-9;q=1',
      'bytes=1e3-',
      'bytes=\u0661-\u0662',
      // whitespace inside a range spec
      'bytes=0 -9',
      'bytes=0- 9',
      'bytes=- 5',
      // one invalid spec spoils the whole set
      'bytes=0-9,abc',
      'bytes=0-9,20-10',
      'bytes=0-9;20-29',
      // a last byte before the first
      'bytes=10-9',
      'bytes=9999-0',
      'bytes=100-99',
      // a first byte too large to represent
      'bytes=99999999999999999999-',
      'bytes=99999999999999999999-99999999999999999999',
      'bytes=9007199254740992-',
      'bytes=9007199254740993-9007199254740999',
    ])('%j', (header) => {
      expect(parse(header)).toEqual(IGNORE);
    });

    it('treats only SP and HTAB as optional whitespace (RFC 9110 5.6.3 OWS)', () => {
      const otherWhiteSpace = [
        'bytes=\u00a00-9', // NO-BREAK SPACE, which a latin1 header value can carry
        'bytes=0-9,\u00a020-29',
        'bytes=0-9\u000b', // VT
        '\u000cbytes=0-9', // FF
      ];
      expect(otherWhiteSpace.map((header) => parse(header))).toEqual(otherWhiteSpace.map(() => IGNORE));
    });

    it('ignores an invalid header even on an empty file', () => {
      expect(parse('bytes=5-1', 0)).toEqual(IGNORE);
      expect(parse('items=0-', 0)).toEqual(IGNORE);
    });
  });

  describe('maxOpenEndedBytes', () => {
    it('caps an open-ended range "bytes=N-"', () => {
      expect(parse('bytes=0-', SIZE, { maxOpenEndedBytes: 1000 })).toEqual(ranges([0, 999]));
      expect(parse('bytes=5000-', SIZE, { maxOpenEndedBytes: 1 })).toEqual(ranges([5000, 5000]));
    });

    it('does not extend past the end of the file', () => {
      expect(parse('bytes=9500-', SIZE, { maxOpenEndedBytes: 1000 })).toEqual(ranges([9500, 9999]));
    });

    it('does not cap a closed range', () => {
      expect(parse('bytes=0-9999', SIZE, { maxOpenEndedBytes: 1000 })).toEqual(ranges([0, 9999]));
      expect(parse('bytes=0-99999999999999999999', SIZE, { maxOpenEndedBytes: 1000 })).toEqual(
        ranges([0, 9999]),
      );
    });

    it('does not cap a suffix', () => {
      expect(parse('bytes=-5000', SIZE, { maxOpenEndedBytes: 1000 })).toEqual(ranges([5000, 9999]));
    });

    it('caps each open-ended member of a set', () => {
      expect(parse('bytes=0-,5000-', SIZE, { maxOpenEndedBytes: 100 })).toEqual(ranges([0, 99], [5000, 5099]));
    });

    it('0 means no cap', () => {
      expect(parse('bytes=0-', SIZE, { maxOpenEndedBytes: 0 })).toEqual(ranges([0, 9999]));
    });

    it('still answers unsatisfiable past the end', () => {
      expect(parse('bytes=10000-', SIZE, { maxOpenEndedBytes: 1000 })).toEqual(UNSATISFIABLE);
    });
  });
});

describe('coalesce', () => {
  const r = (start: number, end: number): ByteRange => ({ start, end });

  it.each<[string, ByteRange[], ByteRange[]]>([
    ['no ranges', [], []],
    ['one range', [r(5, 9)], [r(5, 9)]],
    ['disjoint, ascending', [r(0, 4), r(10, 14)], [r(0, 4), r(10, 14)]],
    ['disjoint, descending (request order kept)', [r(10, 14), r(0, 4)], [r(10, 14), r(0, 4)]],
    ['a gap of one byte is not merged', [r(0, 4), r(6, 9)], [r(0, 4), r(6, 9)]],
    ['adjacent', [r(0, 4), r(5, 9)], [r(0, 9)]],
    ['adjacent, reversed', [r(5, 9), r(0, 4)], [r(0, 9)]],
    ['overlapping', [r(0, 6), r(4, 9)], [r(0, 9)]],
    ['contained', [r(0, 9), r(3, 4)], [r(0, 9)]],
    ['containing', [r(3, 4), r(0, 9)], [r(0, 9)]],
    ['identical', [r(3, 4), r(3, 4)], [r(3, 4)]],
    ['a chain joined by a later range', [r(0, 4), r(10, 14), r(5, 9)], [r(0, 14)]],
    [
      'merged group placed by its earliest member',
      [r(100, 109), r(50, 59), r(0, 9), r(55, 70)],
      [r(100, 109), r(50, 70), r(0, 9)],
    ],
    [
      'group whose earliest member is not its lowest range',
      [r(20, 29), r(50, 59), r(10, 21)],
      [r(10, 29), r(50, 59)],
    ],
  ])('%s', (_name, input, expected) => {
    expect(coalesce(input)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = [r(5, 9), r(0, 4)];
    coalesce(input);
    expect(input).toEqual([r(5, 9), r(0, 4)]);
  });
});
