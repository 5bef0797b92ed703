/**
 * A strict parser for `multipart/byteranges` bodies (RFC 9110 14.6,
 * RFC 2046 5.1.1), for tests. Each part's length is taken from its own
 * `Content-Range`, so the bytes are read exactly and the delimiter that
 * must follow them is checked, rather than searched for.
 */

export interface ByteRangesPart {
  /** Part header fields, names lower-cased. */
  headers: Record<string, string>;
  /** From the part's Content-Range. */
  first: number;
  last: number;
  size: number;
  body: Buffer;
}

export interface ByteRangesBody {
  parts: ByteRangesPart[];
  /** Bytes before the first delimiter (RFC 2046 allows a preamble). */
  preamble: Buffer;
  /** True when the body ends with the close delimiter `--boundary--`. */
  closed: boolean;
  /** Bytes after the close delimiter's `--` (normally a CRLF or nothing). */
  epilogue: Buffer;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

/** The `boundary` parameter of a `multipart/byteranges` Content-Type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (contentType === undefined) return null;
  const [type, ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'multipart/byteranges') return null;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let value = param.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    return value.length > 0 ? value : null;
  }
  return null;
}

/** Parses `body`, throwing an Error that says what is wrong when the framing is not exact. */
export function parseByteRanges(body: Buffer, boundary: string): ByteRangesBody {
  const dash = Buffer.from(`--${boundary}`, 'latin1');
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  let position: number;
  if (body.subarray(0, dash.length).equals(dash)) {
    position = 0;
  } else {
    const found = body.indexOf(delimiter);
    if (found < 0) throw new Error('no boundary delimiter in the body');
    position = found + 2;
  }
  const preamble = body.subarray(0, position === 0 ? 0 : position - 2);
  const parts: ByteRangesPart[] = [];
  for (;;) {
    // `position` is at `--boundary`.
    position += dash.length;
    if (body.subarray(position, position + 2).toString('latin1') === '--') {
      return { parts, preamble, closed: true, epilogue: body.subarray(position + 2) };
    }
    // Transport padding, then CRLF.
    while (body[position] === 0x20 || body[position] === 0x09) position++;
    if (body.subarray(position, position + 2).toString('latin1') !== '\r\n') {
      throw new Error(`no CRLF after the delimiter at byte ${position}`);
    }
    position += 2;
    const headEnd = body.indexOf('\r\n\r\n', position - 2, 'latin1');
    if (headEnd < 0) throw new Error(`part header at byte ${position} does not end`);
    const headers: Record<string, string> = {};
    const headText = body.subarray(position, headEnd).toString('latin1');
    if (headText.length > 0) {
      for (const line of headText.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) throw new Error(`bad part header line ${JSON.stringify(line)}`);
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
    position = headEnd + 4;
    const match = CONTENT_RANGE.exec(headers['content-range'] ?? '');
    if (match === null) {
      throw new Error(`part without a valid Content-Range: ${JSON.stringify(headers['content-range'])}`);
    }
    const first = Number(match[1]);
    const last = Number(match[2]);
    const size = Number(match[3]);
    if (last < first) throw new Error(`part Content-Range ${headers['content-range']} ends before it starts`);
    const length = last - first + 1;
    if (position + length > body.length) throw new Error(`part ${headers['content-range']} is cut short`);
    parts.push({ headers, first, last, size, body: body.subarray(position, position + length) });
    position += length;
    if (!body.subarray(position, position + delimiter.length).equals(delimiter)) {
      throw new Error(`part ${headers['content-range']} is not followed by a delimiter at byte ${position}`);
    }
    position += 2;
  }
}
