import { ByteRange } from './http-range.js';
import { StreamDecision, StreamPolicy, StreamRequestHeaders, StreamTarget, decideStream } from './stream-decision.js';

const SIZE = 10_000;
const ETAG = '"2710-18cc8d3e0ee"';
// Modified at 03:04:05.678: Last-Modified states whole seconds.
const MODIFIED_AT = new Date('2024-01-02T03:04:05.678Z');
const LAST_MODIFIED = 'Tue, 02 Jan 2024 03:04:05 GMT';

const TARGET: StreamTarget = { size: SIZE, modifiedAt: MODIFIED_AT, etag: ETAG, mimeType: 'video/mp4' };
const POLICY: StreamPolicy = {
  maxRanges: 100,
  maxOpenEndedBytes: 0,
  cacheMaxAge: 3600,
  disposition: null,
  boundary: () => 'BOUNDARY',
  now: new Date('2026-11-25T12:00:00Z'),
};

function decide(
  headers: StreamRequestHeaders,
  policy: Partial<StreamPolicy> = {},
  target: Partial<StreamTarget> = {},
): StreamDecision {
  return decideStream({ ...TARGET, ...target }, headers, { ...POLICY, ...policy });
}

const COMMON = {
  'Accept-Ranges': 'bytes',
  ETag: ETAG,
  'Last-Modified': LAST_MODIFIED,
  'Cache-Control': 'public, max-age=3600',
};

const WHOLE: StreamDecision = {
  status: 200,
  headers: { ...COMMON, 'Content-Type': 'video/mp4', 'Content-Length': '10000' },
  body: { kind: 'single', range: { start: 0, end: 9999 } },
};

function single(start: number, end: number, size = SIZE): StreamDecision {
  return {
    status: 206,
    headers: {
      ...COMMON,
      'Content-Type': 'video/mp4',
      'Content-Length': String(end - start + 1),
      'Content-Range': `bytes ${start}-${end}/${size}`,
    },
    body: { kind: 'single', range: { start, end } },
  };
}

function unsatisfiable(size = SIZE): StreamDecision {
  return { status: 416, headers: { 'Accept-Ranges': 'bytes', 'Content-Range': `bytes */${size}` }, body: { kind: 'none' } };
}

/** The ranges of a multipart decision, in body order. */
function partRanges(decision: StreamDecision): ByteRange[] {
  if (decision.body.kind !== 'multipart') {
    throw new Error(`expected a multipart body, got ${decision.body.kind}`);
  }
  return decision.body.plan.parts.map((part) => part.range);
}

describe('decideStream', () => {
  describe('no Range: 200 and the whole file', () => {
    it('answers 200 with every required header', () => {
      expect(decide({})).toEqual(WHOLE);
    });

    it('answers 200 with Content-Length 0 and no body for an empty file', () => {
      expect(decide({}, {}, { size: 0 })).toEqual({
        status: 200,
        headers: { ...COMMON, 'Content-Type': 'video/mp4', 'Content-Length': '0' },
        body: { kind: 'none' },
      });
    });

    it('uses the target content type, octet-stream included', () => {
      expect(decide({}, {}, { mimeType: 'application/octet-stream' }).headers['Content-Type']).toBe(
        'application/octet-stream',
      );
    });
  });

  describe('one satisfiable range: 206 with Content-Range', () => {
    it.each<[string, number, number]>([
      ['bytes=0-0', 0, 0],
      ['bytes=0-499', 0, 499],
      ['bytes=500-999', 500, 999],
      ['bytes=9999-9999', 9999, 9999],
      ['bytes=0-9999', 0, 9999],
      ['bytes=9500-', 9500, 9999],
      ['bytes=0-', 0, 9999],
      ['bytes=-500', 9500, 9999],
      ['bytes=-1', 9999, 9999],
    ])('%s -> bytes %i-%i/10000', (range, start, end) => {
      expect(decide({ range })).toEqual(single(start, end));
    });

    it.each<[string, number, number]>([
      ['bytes=9990-10000', 9990, 9999],
      ['bytes=9990-99999999999999999999', 9990, 9999],
      ['bytes=0-999999999999999999999999999999999999999999999999', 0, 9999],
    ])('clips an end past the file, however many digits: %s', (range, start, end) => {
      expect(decide({ range })).toEqual(single(start, end));
    });

    it.each(['bytes=-10000', 'bytes=-10001', 'bytes=-99999999999999999999999'])(
      'a suffix as long as or longer than the file is the whole file: %s',
      (range) => {
        expect(decide({ range })).toEqual(single(0, 9999));
      },
    );

    it.each(['BYTES=10-19', 'Bytes=10-19', 'bYtEs=10-19'])('the unit is case-insensitive: %s', (range) => {
      expect(decide({ range })).toEqual(single(10, 19));
    });

    it.each(['bytes = 10-19', 'bytes= 10-19', 'bytes =10-19', ' bytes=10-19 ', 'bytes=\t10-19'])(
      'whitespace around "=" is allowed: %j',
      (range) => {
        expect(decide({ range })).toEqual(single(10, 19));
      },
    );

    it.each(['bytes=10-19,', 'bytes=,10-19', 'bytes=10-19,,', 'bytes= , 10-19 , '])(
      'empty list elements are skipped: %j',
      (range) => {
        expect(decide({ range })).toEqual(single(10, 19));
      },
    );

    it('ignores unsatisfiable members next to a satisfiable one', () => {
      expect(decide({ range: 'bytes=20000-,10-19,-0' })).toEqual(single(10, 19));
    });
  });

  describe('several ranges: multipart/byteranges', () => {
    it('answers 206 multipart with exact framing, length and headers', () => {
      const decision = decide({ range: 'bytes=0-9,100-109' });
      expect(decision.status).toBe(206);
      expect(decision.headers).toEqual({
        ...COMMON,
        'Content-Type': 'multipart/byteranges; boundary=BOUNDARY',
        'Content-Length': String(decision.body.kind === 'multipart' ? decision.body.plan.length : -1),
      });
      expect(decision.body).toEqual({
        kind: 'multipart',
        plan: {
          contentType: 'multipart/byteranges; boundary=BOUNDARY',
          parts: [
            {
              range: { start: 0, end: 9 },
              head: '--BOUNDARY\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-9/10000\r\n\r\n',
            },
            {
              range: { start: 100, end: 109 },
              head: '\r\n--BOUNDARY\r\nContent-Type: video/mp4\r\nContent-Range: bytes 100-109/10000\r\n\r\n',
            },
          ],
          tail: '\r\n--BOUNDARY--\r\n',
          length: 71 + 10 + 77 + 10 + 16,
        },
      });
      expect(decision.headers['Content-Length']).toBe('184');
    });

    it('keeps the ranges in request order', () => {
      expect(partRanges(decide({ range: 'bytes=500-599,0-99,9000-' }))).toEqual([
        { start: 500, end: 599 },
        { start: 0, end: 99 },
        { start: 9000, end: 9999 },
      ]);
    });

    it('merges overlapping and adjacent ranges, in request order', () => {
      expect(partRanges(decide({ range: 'bytes=500-599,0-99,50-149,150-199' }))).toEqual([
        { start: 500, end: 599 },
        { start: 0, end: 199 },
      ]);
    });

    it('allows whitespace around commas and skips empty elements', () => {
      expect(partRanges(decide({ range: 'bytes = 0-9 ,\t20-29 , , -5' }))).toEqual([
        { start: 0, end: 9 },
        { start: 20, end: 29 },
        { start: 9995, end: 9999 },
      ]);
    });

    it.each<[string, number, number]>([
      ['bytes=0-9,10-19', 0, 19],
      ['bytes=0-99,50-149', 0, 149],
      ['bytes=10-19,0-999', 0, 999],
      ['bytes=0-,0-,0-', 0, 9999],
      ['bytes=9000-9499,-1000', 9000, 9999],
      ['bytes=0-4,10-14,5-9', 0, 14],
    ])('a request that merges to one range gets a single-part 206: %s', (range, start, end) => {
      expect(decide({ range })).toEqual(single(start, end));
    });

    it('never sends more than the file plus framing', () => {
      const decision = decide({ range: 'bytes=0-,-10000,0-9999,1-2' });
      expect(decision).toEqual(single(0, 9999));
    });

    it('accepts 100 ranges', () => {
      const range = 'bytes=' + Array.from({ length: 100 }, (_, i) => `${i * 10}-${i * 10 + 4}`).join(',');
      const decision = decide({ range });
      expect(decision.status).toBe(206);
      expect(partRanges(decision)).toHaveLength(100);
    });

    it('ignores a request with more than 100 ranges (200)', () => {
      const range = 'bytes=' + Array.from({ length: 101 }, (_, i) => `${i * 10}-${i * 10 + 4}`).join(',');
      expect(decide({ range })).toEqual(WHOLE);
    });

    it('asks for a boundary only once', () => {
      let calls = 0;
      const decision = decide({ range: 'bytes=0-0,2-2,4-4' }, { boundary: () => `b${++calls}` });
      expect(calls).toBe(1);
      expect(decision.headers['Content-Type']).toBe('multipart/byteranges; boundary=b1');
    });

    it('gives each part the content type of the item', () => {
      const decision = decide({ range: 'bytes=0-0,2-2' }, {}, { mimeType: 'audio/ogg' });
      if (decision.body.kind !== 'multipart') throw new Error('expected multipart');
      for (const part of decision.body.plan.parts) {
        expect(part.head).toContain('\r\nContent-Type: audio/ogg\r\n');
      }
    });
  });

  describe('no satisfiable range: 416 with bytes */size', () => {
    it.each([
      'bytes=10000-',
      'bytes=10000-10001',
      'bytes=20000-30000',
      'bytes=-0',
      'bytes=10000-,-0',
      'bytes=9007199254740991-',
    ])('%s', (range) => {
      expect(decide({ range })).toEqual(unsatisfiable());
    });

    it.each(['bytes=0-', 'bytes=0-0', 'bytes=0-99', 'bytes=-1', 'bytes=-500', 'bytes=-0', 'bytes=0-0,-1'])(
      'any valid range set on an empty file, suffixes included: %s',
      (range) => {
        expect(decide({ range }, {}, { size: 0 })).toEqual(unsatisfiable(0));
      },
    );
  });

  describe('a Range that is not a valid bytes range set is ignored (200)', () => {
    it.each([
      // another unit
      'items=0-9',
      'pages=1-2',
      'bytes 0-9',
      '0-9',
      '',
      // non-digits
      'bytes=a-b',
      'bytes=0-9x',
      'bytes=0x0-0x9',
      'bytes=1.5-2',
      'bytes=-',
      'bytes=--1',
      'bytes=0-9,x',
      // a last byte before the first
      'bytes=10-9',
      'bytes=9999-0',
      'bytes=0-9,20-10',
      // a first byte too large to represent
      'bytes=99999999999999999999-',
      'bytes=99999999999999999999-99999999999999999999',
      'bytes=9007199254740992-',
      // no range spec at all
      'bytes=',
      'bytes=,',
    ])('%j', (range) => {
      expect(decide({ range })).toEqual(WHOLE);
    });

    it('is ignored on an empty file too', () => {
      expect(decide({ range: 'bytes=5-1' }, {}, { size: 0 }).status).toBe(200);
    });
  });

  describe('preconditions (RFC 9110 13.2.2)', () => {
    const NOT_MODIFIED: StreamDecision = {
      status: 304,
      headers: { ETag: ETAG, 'Last-Modified': LAST_MODIFIED, 'Cache-Control': 'public, max-age=3600' },
      body: { kind: 'none' },
    };
    const FAILED: StreamDecision = { status: 412, headers: {}, body: { kind: 'none' } };

    const SECOND_BEFORE = 'Tue, 02 Jan 2024 03:04:04 GMT';
    const SECOND_AFTER = 'Tue, 02 Jan 2024 03:04:06 GMT';

    it.each<[string, StreamRequestHeaders, StreamDecision]>([
      // If-Match: strong comparison
      ['If-Match current tag', { 'if-match': ETAG }, WHOLE],
      ['If-Match *', { 'if-match': '*' }, WHOLE],
      ['If-Match list containing the tag', { 'if-match': `"a", ${ETAG}` }, WHOLE],
      ['If-Match stale tag', { 'if-match': '"stale"' }, FAILED],
      ['If-Match weak current tag', { 'if-match': `W/${ETAG}` }, FAILED],
      // If-Unmodified-Since, at one-second resolution
      ['If-Unmodified-Since = Last-Modified', { 'if-unmodified-since': LAST_MODIFIED }, WHOLE],
      ['If-Unmodified-Since after', { 'if-unmodified-since': SECOND_AFTER }, WHOLE],
      ['If-Unmodified-Since one second before', { 'if-unmodified-since': SECOND_BEFORE }, FAILED],
      ['If-Unmodified-Since invalid', { 'if-unmodified-since': 'not a date' }, WHOLE],
      // If-Unmodified-Since is ignored when If-Match is present
      ['If-Match passes, If-Unmodified-Since would fail', { 'if-match': ETAG, 'if-unmodified-since': SECOND_BEFORE }, WHOLE],
      ['If-Match fails, If-Unmodified-Since would pass', { 'if-match': '"x"', 'if-unmodified-since': SECOND_AFTER }, FAILED],
      // If-None-Match: weak comparison
      ['If-None-Match current tag', { 'if-none-match': ETAG }, NOT_MODIFIED],
      ['If-None-Match weak current tag', { 'if-none-match': `W/${ETAG}` }, NOT_MODIFIED],
      ['If-None-Match *', { 'if-none-match': '*' }, NOT_MODIFIED],
      ['If-None-Match stale tag', { 'if-none-match': '"stale"' }, WHOLE],
      // If-Modified-Since, at one-second resolution
      ['If-Modified-Since = Last-Modified', { 'if-modified-since': LAST_MODIFIED }, NOT_MODIFIED],
      ['If-Modified-Since after', { 'if-modified-since': SECOND_AFTER }, NOT_MODIFIED],
      ['If-Modified-Since one second before', { 'if-modified-since': SECOND_BEFORE }, WHOLE],
      ['If-Modified-Since invalid', { 'if-modified-since': 'Tue, 02 Jan 2024 03:04:05' }, WHOLE],
      // If-Modified-Since is ignored when If-None-Match is present
      ['If-None-Match stale, If-Modified-Since current', { 'if-none-match': '"stale"', 'if-modified-since': SECOND_AFTER }, WHOLE],
      ['If-None-Match current, If-Modified-Since old', { 'if-none-match': ETAG, 'if-modified-since': SECOND_BEFORE }, NOT_MODIFIED],
      // 412 is decided before 304
      ['If-Match fails, If-None-Match matches', { 'if-match': '"x"', 'if-none-match': ETAG }, FAILED],
      ['If-Unmodified-Since fails, If-None-Match matches', { 'if-unmodified-since': SECOND_BEFORE, 'if-none-match': ETAG }, FAILED],
      ['If-Match passes, If-None-Match matches', { 'if-match': ETAG, 'if-none-match': ETAG }, NOT_MODIFIED],
      // preconditions are decided before the range
      ['412 beats a satisfiable range', { 'if-match': '"x"', range: 'bytes=0-9' }, FAILED],
      ['412 beats an unsatisfiable range', { 'if-match': '"x"', range: 'bytes=20000-' }, FAILED],
      ['304 beats a satisfiable range', { 'if-none-match': ETAG, range: 'bytes=0-9' }, NOT_MODIFIED],
      ['304 beats an unsatisfiable range', { 'if-none-match': ETAG, range: 'bytes=20000-' }, NOT_MODIFIED],
    ])('%s', (_name, headers, expected) => {
      expect(decide(headers)).toEqual(expected);
    });

    it('passing preconditions still allow a 206', () => {
      expect(decide({ 'if-match': ETAG, 'if-none-match': '"stale"', range: 'bytes=0-9' })).toEqual(single(0, 9));
    });

    it('a 304 carries the configured Cache-Control', () => {
      expect(decide({ 'if-none-match': ETAG }, { cacheMaxAge: 60 }).headers['Cache-Control']).toBe('public, max-age=60');
    });
  });

  describe('If-Range', () => {
    it.each<[string, string, StreamDecision]>([
      ['the current strong ETag keeps the range', ETAG, single(0, 9)],
      ['exactly the Last-Modified date keeps the range', LAST_MODIFIED, single(0, 9)],
      ['the Last-Modified date in asctime form keeps the range', 'Tue Jan  2 03:04:05 2024', single(0, 9)],
      ['a weak current tag gets 200', `W/${ETAG}`, WHOLE],
      ['a stale tag gets 200', '"stale"', WHOLE],
      ['a date one second earlier gets 200', 'Tue, 02 Jan 2024 03:04:04 GMT', WHOLE],
      ['a later date gets 200', 'Wed, 01 Jan 2025 00:00:00 GMT', WHOLE],
      ['an unparseable value gets 200', 'whenever', WHOLE],
    ])('%s', (_name, ifRange, expected) => {
      expect(decide({ range: 'bytes=0-9', 'if-range': ifRange })).toEqual(expected);
    });

    it('a stale If-Range also turns a would-be 416 into 200', () => {
      expect(decide({ range: 'bytes=20000-', 'if-range': '"stale"' })).toEqual(WHOLE);
    });

    it('a holding If-Range leaves a 416', () => {
      expect(decide({ range: 'bytes=20000-', 'if-range': ETAG })).toEqual(unsatisfiable());
    });

    it('a holding If-Range keeps a multipart answer', () => {
      expect(partRanges(decide({ range: 'bytes=0-0,5-5', 'if-range': ETAG }))).toEqual([
        { start: 0, end: 0 },
        { start: 5, end: 5 },
      ]);
    });

    it('is ignored without a Range', () => {
      expect(decide({ 'if-range': '"stale"' })).toEqual(WHOLE);
      expect(decide({ 'if-range': ETAG })).toEqual(WHOLE);
    });
  });

  describe('maxOpenEndedBytes (STREAM_MAX_RANGE_BYTES)', () => {
    const capped = { maxOpenEndedBytes: 1000 };

    it('caps "bytes=N-" and says so in Content-Range', () => {
      expect(decide({ range: 'bytes=0-' }, capped)).toEqual(single(0, 999));
      expect(decide({ range: 'bytes=5000-' }, capped)).toEqual(single(5000, 5999));
    });

    it('does not extend an open-ended range past the end', () => {
      expect(decide({ range: 'bytes=9500-' }, capped)).toEqual(single(9500, 9999));
    });

    it('does not cap a closed range', () => {
      expect(decide({ range: 'bytes=0-4999' }, capped)).toEqual(single(0, 4999));
    });

    it('does not cap a suffix range', () => {
      expect(decide({ range: 'bytes=-5000' }, capped)).toEqual(single(5000, 9999));
    });

    it('does not cap a request without Range', () => {
      expect(decide({}, capped)).toEqual(WHOLE);
    });

    it('does not cap a request whose If-Range fails', () => {
      expect(decide({ range: 'bytes=0-', 'if-range': '"stale"' }, capped)).toEqual(WHOLE);
    });

    it('0 sends to the end', () => {
      expect(decide({ range: 'bytes=0-' }, { maxOpenEndedBytes: 0 })).toEqual(single(0, 9999));
    });
  });

  describe('other headers', () => {
    const DISPOSITION = `attachment; filename="caf?.mp4"; filename*=UTF-8''caf%C3%A9.mp4`;

    it.each<[string, StreamRequestHeaders, number]>([
      ['200', {}, 200],
      ['206 single', { range: 'bytes=0-9' }, 206],
      ['206 multipart', { range: 'bytes=0-0,2-2' }, 206],
    ])('passes Content-Disposition through on %s', (_name, headers, status) => {
      const decision = decide(headers, { disposition: DISPOSITION });
      expect(decision.status).toBe(status);
      expect(decision.headers['Content-Disposition']).toBe(DISPOSITION);
    });

    it('sends no Content-Disposition when there is none', () => {
      expect(Object.keys(decide({}).headers)).not.toContain('Content-Disposition');
      expect(Object.keys(decide({ range: 'bytes=0-9' }).headers)).not.toContain('Content-Disposition');
    });

    it.each([0, 60, 3600, 31536000])('Cache-Control: public, max-age=%i', (cacheMaxAge) => {
      expect(decide({}, { cacheMaxAge }).headers['Cache-Control']).toBe(`public, max-age=${cacheMaxAge}`);
      expect(decide({ range: 'bytes=0-9' }, { cacheMaxAge }).headers['Cache-Control']).toBe(
        `public, max-age=${cacheMaxAge}`,
      );
    });

    it.each<[string, StreamRequestHeaders]>([
      ['200', {}],
      ['206 single', { range: 'bytes=0-9' }],
      ['206 multipart', { range: 'bytes=0-0,2-2' }],
      ['200 after an ignored Range', { range: 'items=0-9' }],
      ['200 after a failed If-Range', { range: 'bytes=0-9', 'if-range': '"x"' }],
    ])(
      'Accept-Ranges, Content-Type, Content-Length, strong ETag, Last-Modified and Cache-Control on %s',
      (_name, headers) => {
        const decision = decide(headers);
        expect(decision.headers).toMatchObject(COMMON);
        expect(decision.headers['Content-Type']).toMatch(/^(video\/mp4|multipart\/byteranges; boundary=BOUNDARY)$/);
        expect(decision.headers['Content-Length']).toMatch(/^[0-9]+$/);
        expect(decision.headers.ETag).not.toMatch(/^W\//);
      },
    );

    it.each<[string, string]>([
      ['2024-01-02T03:04:05.000Z', 'Tue, 02 Jan 2024 03:04:05 GMT'],
      ['2024-01-02T03:04:05.999Z', 'Tue, 02 Jan 2024 03:04:05 GMT'],
      ['1999-12-31T23:59:59.999Z', 'Fri, 31 Dec 1999 23:59:59 GMT'],
      ['2026-11-25T10:00:00.500Z', 'Wed, 25 Nov 2026 10:00:00 GMT'],
    ])('Last-Modified for %s is truncated to %s', (iso, expected) => {
      const decision = decide({}, {}, { modifiedAt: new Date(iso) });
      expect(decision.headers['Last-Modified']).toBe(expected);
      // and it is the date an If-Modified-Since copied from it matches
      expect(decide({ 'if-modified-since': expected }, {}, { modifiedAt: new Date(iso) }).status).toBe(304);
      expect(decide({ 'if-range': expected, range: 'bytes=0-0' }, {}, { modifiedAt: new Date(iso) }).status).toBe(
        206,
      );
    });
  });
});

describe('a modification time in the future (RFC 9110 8.8.2.1)', () => {
  const now = new Date('2024-01-01T00:00:00.250Z');
  const future = { modifiedAt: new Date('2099-01-01T00:00:00Z') };

  it('is stated as the time of the answer', () => {
    expect(decide({}, { now }, future).headers['Last-Modified']).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
  });

  it('is what date conditions compare against', () => {
    expect(decide({ 'if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' }, { now }, future).status).toBe(304);
    expect(decide({ 'if-unmodified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' }, { now }, future).status).toBe(200);
  });
});
