import { ByteRange } from './http-range.js';
import { MultipartPlan, planMultipart } from './multipart.js';

/** Assembles the body a GET would send for a plan over `file`. */
function assemble(plan: MultipartPlan, file: Buffer): Buffer {
  const chunks: Buffer[] = [];
  for (const part of plan.parts) {
    chunks.push(Buffer.from(part.head, 'latin1'));
    chunks.push(file.subarray(part.range.start, part.range.end + 1));
  }
  chunks.push(Buffer.from(plan.tail, 'latin1'));
  return Buffer.concat(chunks);
}

const ALPHABET = Buffer.from('abcdefghijklmnopqrstuvwxyz', 'ascii');

describe('planMultipart', () => {
  it('frames two parts exactly as RFC 9110 14.6 shows', () => {
    const plan = planMultipart(
      [
        { start: 0, end: 2 },
        { start: 10, end: 12 },
      ],
      26,
      'text/plain',
      'THIS_STRING_SEPARATES',
    );
    expect(plan.contentType).toBe('multipart/byteranges; boundary=THIS_STRING_SEPARATES');
    expect(assemble(plan, ALPHABET).toString('latin1')).toBe(
      '--THIS_STRING_SEPARATES\r\n' +
        'Content-Type: text/plain\r\n' +
        'Content-Range: bytes 0-2/26\r\n' +
        '\r\n' +
        'abc' +
        '\r\n--THIS_STRING_SEPARATES\r\n' +
        'Content-Type: text/plain\r\n' +
        'Content-Range: bytes 10-12/26\r\n' +
        '\r\n' +
        'klm' +
        '\r\n--THIS_STRING_SEPARATES--\r\n',
    );
    expect(plan.length).toBe(assemble(plan, ALPHABET).length);
  });

  it('gives each part its range, head and the close delimiter separately', () => {
    const plan = planMultipart(
      [
        { start: 20, end: 25 },
        { start: 0, end: 0 },
        { start: 5, end: 9 },
      ],
      26,
      'video/mp4',
      'b0undary',
    );
    expect(plan.parts).toEqual([
      {
        range: { start: 20, end: 25 },
        head: '--b0undary\r\nContent-Type: video/mp4\r\nContent-Range: bytes 20-25/26\r\n\r\n',
      },
      {
        range: { start: 0, end: 0 },
        head: '\r\n--b0undary\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-0/26\r\n\r\n',
      },
      {
        range: { start: 5, end: 9 },
        head: '\r\n--b0undary\r\nContent-Type: video/mp4\r\nContent-Range: bytes 5-9/26\r\n\r\n',
      },
    ]);
    expect(plan.tail).toBe('\r\n--b0undary--\r\n');
    expect(assemble(plan, ALPHABET).toString('latin1')).toBe(
      '--b0undary\r\nContent-Type: video/mp4\r\nContent-Range: bytes 20-25/26\r\n\r\nuvwxyz' +
        '\r\n--b0undary\r\nContent-Type: video/mp4\r\nContent-Range: bytes 0-0/26\r\n\r\na' +
        '\r\n--b0undary\r\nContent-Type: video/mp4\r\nContent-Range: bytes 5-9/26\r\n\r\nfghij' +
        '\r\n--b0undary--\r\n',
    );
    // three 70-byte heads, a 16-byte close delimiter and 6 + 1 + 5 bytes
    expect(plan.length).toBe(3 * 70 + 16 + 12);
  });

  it('keeps the order of the ranges it is given', () => {
    const ranges: ByteRange[] = [
      { start: 9, end: 9 },
      { start: 1, end: 1 },
      { start: 5, end: 5 },
    ];
    expect(planMultipart(ranges, 10, 'a/b', 'x').parts.map((part) => part.range)).toEqual(ranges);
  });

  it('never puts a bare LF in the framing', () => {
    const plan = planMultipart(
      [
        { start: 0, end: 1 },
        { start: 3, end: 4 },
      ],
      5,
      'audio/mpeg',
      'zzz',
    );
    const framing = plan.parts.map((part) => part.head).join('') + plan.tail;
    expect(framing.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(framing.split('\r\n').length - 1).toBe(2 * 4 + 1 + 2);
  });

  describe('length is the byte length of the assembled body', () => {
    const file = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256));
    it.each<[string, ByteRange[], string]>([
      ['two one-byte parts', [{ start: 0, end: 0 }, { start: 99_999, end: 99_999 }], 'video/mp4'],
      [
        'sizes whose digit counts differ',
        [
          { start: 9, end: 10 },
          { start: 99, end: 1000 },
          { start: 9_999, end: 99_998 },
        ],
        'video/webm',
      ],
      ['a long part type', [{ start: 0, end: 49_999 }, { start: 50_001, end: 99_999 }], 'application/octet-stream'],
      [
        'many parts',
        Array.from({ length: 100 }, (_, i): ByteRange => ({ start: i * 1000, end: i * 1000 + i })),
        'audio/ogg',
      ],
    ])('%s', (_name, ranges, partType) => {
      const plan = planMultipart(ranges, file.length, partType, '3d6b6a416f9b5e2c7b1f8a90');
      const body = assemble(plan, file);
      expect(plan.length).toBe(body.length);
      const framing = plan.parts.reduce((total, part) => total + Buffer.byteLength(part.head), 0) + plan.tail.length;
      const bytes = ranges.reduce((total, range) => total + range.end - range.start + 1, 0);
      expect(plan.length).toBe(framing + bytes);
      // every part's bytes sit right after its head
      let offset = 0;
      for (const part of plan.parts) {
        offset += Buffer.byteLength(part.head);
        const length = part.range.end - part.range.start + 1;
        expect(body.subarray(offset, offset + length).equals(file.subarray(part.range.start, part.range.end + 1))).toBe(
          true,
        );
        offset += length;
      }
      expect(body.subarray(offset).toString('latin1')).toBe('\r\n--3d6b6a416f9b5e2c7b1f8a90--\r\n');
    });
  });

  it('does not contain the boundary anywhere but in its delimiters', () => {
    const plan = planMultipart(
      [
        { start: 0, end: 0 },
        { start: 2, end: 2 },
      ],
      3,
      'text/plain',
      'BND',
    );
    const framing = plan.parts.map((part) => part.head).join('|') + '|' + plan.tail;
    expect(framing.match(/BND/g)).toHaveLength(3);
  });
});
