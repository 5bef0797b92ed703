import { ConditionalHeaders, PreconditionOutcome, Validators, evaluatePreconditions, ifRangeHolds } from './preconditions.js';

// Modified at 03:04:05.678, so Last-Modified says 03:04:05.
const VALIDATORS: Validators = { etag: '"v1"', lastModified: new Date('2024-01-02T03:04:05.678Z') };

const LAST_MODIFIED = 'Tue, 02 Jan 2024 03:04:05 GMT';
const SECOND_BEFORE = 'Tue, 02 Jan 2024 03:04:04 GMT';
const SECOND_AFTER = 'Tue, 02 Jan 2024 03:04:06 GMT';
const YEAR_BEFORE = 'Mon, 02 Jan 2023 03:04:05 GMT';
const YEAR_AFTER = 'Thu, 02 Jan 2025 03:04:05 GMT';

describe('evaluatePreconditions', () => {
  const evaluate = (headers: ConditionalHeaders): PreconditionOutcome => evaluatePreconditions(headers, VALIDATORS);

  it('proceeds without conditional headers', () => {
    expect(evaluate({})).toBe('proceed');
  });

  describe('If-Match (strong comparison)', () => {
    it.each<[string, PreconditionOutcome]>([
      ['"v1"', 'proceed'],
      ['*', 'proceed'],
      ['"x", "v1"', 'proceed'],
      ['"x","y", "v1" , "z"', 'proceed'],
      [' "v1" ', 'proceed'],
      ['"v2"', 'precondition-failed'],
      ['W/"v1"', 'precondition-failed'],
      ['W/"v1", "x"', 'precondition-failed'],
      ['"V1"', 'precondition-failed'],
      ['v1', 'precondition-failed'],
      ['"v1', 'precondition-failed'],
    ])('If-Match: %s -> %s', (value, expected) => {
      expect(evaluate({ 'if-match': value })).toBe(expected);
    });
  });

  describe('If-Unmodified-Since (second resolution)', () => {
    it.each<[string, PreconditionOutcome]>([
      [LAST_MODIFIED, 'proceed'],
      [SECOND_AFTER, 'proceed'],
      [YEAR_AFTER, 'proceed'],
      [SECOND_BEFORE, 'precondition-failed'],
      [YEAR_BEFORE, 'precondition-failed'],
      // asctime and RFC 850 forms are dates too
      ['Tue Jan  2 03:04:04 2024', 'precondition-failed'],
      ['Tuesday, 02-Jan-24 03:04:05 GMT', 'proceed'],
      // an invalid date is ignored
      ['yesterday', 'proceed'],
      ['2020-01-01T00:00:00Z', 'proceed'],
      ['Tue, 02 Jan 2023 03:04:05 GMT, Tue, 02 Jan 2024 03:04:05 GMT', 'proceed'],
    ])('If-Unmodified-Since: %s -> %s', (value, expected) => {
      expect(evaluate({ 'if-unmodified-since': value })).toBe(expected);
    });
  });

  it('ignores If-Unmodified-Since when If-Match is present', () => {
    expect(evaluate({ 'if-match': '"v1"', 'if-unmodified-since': YEAR_BEFORE })).toBe('proceed');
    expect(evaluate({ 'if-match': '"v2"', 'if-unmodified-since': YEAR_AFTER })).toBe('precondition-failed');
  });

  describe('If-None-Match (weak comparison)', () => {
    it.each<[string, PreconditionOutcome]>([
      ['"v1"', 'not-modified'],
      ['W/"v1"', 'not-modified'],
      ['*', 'not-modified'],
      ['"x", W/"v1"', 'not-modified'],
      ['"a,b", "v1"', 'not-modified'],
      ['"v2"', 'proceed'],
      ['W/"v2"', 'proceed'],
      ['"x", "y"', 'proceed'],
      ['"V1"', 'proceed'],
      ['v1', 'proceed'],
    ])('If-None-Match: %s -> %s', (value, expected) => {
      expect(evaluate({ 'if-none-match': value })).toBe(expected);
    });
  });

  describe('If-Modified-Since (second resolution)', () => {
    it.each<[string, PreconditionOutcome]>([
      [LAST_MODIFIED, 'not-modified'],
      [SECOND_AFTER, 'not-modified'],
      [YEAR_AFTER, 'not-modified'],
      [SECOND_BEFORE, 'proceed'],
      [YEAR_BEFORE, 'proceed'],
      ['Tue Jan  2 03:04:05 2024', 'not-modified'],
      ['Tuesday, 02-Jan-24 03:04:04 GMT', 'proceed'],
      // an invalid date is ignored
      ['garbage', 'proceed'],
      ['Tue, 02 Jan 2024 03:04:05 UTC', 'proceed'],
      ['Tue, 02 Jan 2025 03:04:05 GMT, Tue, 02 Jan 2025 03:04:05 GMT', 'proceed'],
    ])('If-Modified-Since: %s -> %s', (value, expected) => {
      expect(evaluate({ 'if-modified-since': value })).toBe(expected);
    });
  });

  it('ignores If-Modified-Since when If-None-Match is present', () => {
    expect(evaluate({ 'if-none-match': '"v2"', 'if-modified-since': YEAR_AFTER })).toBe('proceed');
    expect(evaluate({ 'if-none-match': '"v1"', 'if-modified-since': YEAR_BEFORE })).toBe('not-modified');
  });

  describe('order of RFC 9110 13.2.2', () => {
    it.each<[string, ConditionalHeaders, PreconditionOutcome]>([
      ['failed If-Match beats matching If-None-Match', { 'if-match': '"v2"', 'if-none-match': '"v1"' }, 'precondition-failed'],
      [
        'failed If-Unmodified-Since beats matching If-None-Match',
        { 'if-unmodified-since': YEAR_BEFORE, 'if-none-match': '"v1"' },
        'precondition-failed',
      ],
      [
        'failed If-Unmodified-Since beats If-Modified-Since',
        { 'if-unmodified-since': YEAR_BEFORE, 'if-modified-since': YEAR_AFTER },
        'precondition-failed',
      ],
      ['passing If-Match then matching If-None-Match', { 'if-match': '"v1"', 'if-none-match': '"v1"' }, 'not-modified'],
      [
        'passing If-Unmodified-Since then current If-Modified-Since',
        { 'if-unmodified-since': YEAR_AFTER, 'if-modified-since': YEAR_AFTER },
        'not-modified',
      ],
      [
        'all four passing with a stale If-None-Match',
        { 'if-match': '*', 'if-unmodified-since': YEAR_AFTER, 'if-none-match': '"old"', 'if-modified-since': YEAR_AFTER },
        'proceed',
      ],
    ])('%s', (_name, headers, expected) => {
      expect(evaluate(headers)).toBe(expected);
    });

    it('does not let If-Range affect the outcome', () => {
      expect(evaluate({ 'if-range': '"stale"' })).toBe('proceed');
    });
  });

  it('uses the whole-second Last-Modified even for a time exactly on the second', () => {
    const onTheSecond: Validators = { etag: '"v1"', lastModified: new Date('2024-01-02T03:04:05.000Z') };
    expect(evaluatePreconditions({ 'if-modified-since': LAST_MODIFIED }, onTheSecond)).toBe('not-modified');
    expect(evaluatePreconditions({ 'if-unmodified-since': LAST_MODIFIED }, onTheSecond)).toBe('proceed');
    expect(evaluatePreconditions({ 'if-unmodified-since': SECOND_BEFORE }, onTheSecond)).toBe('precondition-failed');
  });
});

describe('ifRangeHolds', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, true],
    // the current strong entity tag
    ['"v1"', true],
    [' "v1" ', true],
    // a weak, stale or malformed tag
    ['W/"v1"', false],
    ['"v2"', false],
    ['"V1"', false],
    ['"v1", "v2"', false],
    ['"v1', false],
    ['W/v1', false],
    ['*', false],
    // exactly the Last-Modified date, in any of the three formats
    [LAST_MODIFIED, true],
    [` ${LAST_MODIFIED} `, true],
    ['Tuesday, 02-Jan-24 03:04:05 GMT', true],
    ['Tue Jan  2 03:04:05 2024', true],
    // any other date, even a later one
    [SECOND_BEFORE, false],
    [SECOND_AFTER, false],
    [YEAR_AFTER, false],
    [YEAR_BEFORE, false],
    // not a validator at all
    ['', false],
    ['v1', false],
    ['2024-01-02T03:04:05Z', false],
    ['Tue, 02 Jan 2024 03:04:05 UTC', false],
  ])('If-Range: %j -> %s', (value, expected) => {
    expect(ifRangeHolds(value, VALIDATORS)).toBe(expected);
  });
});
