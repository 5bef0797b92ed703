import { ByteRange } from './http-range.js';

export interface MultipartPart {
  range: ByteRange;
  /** The delimiter and part headers that precede the part's bytes. */
  head: string;
}

export interface MultipartPlan {
  /** The value of the response's Content-Type. */
  contentType: string;
  parts: MultipartPart[];
  /** The close delimiter after the last part. */
  tail: string;
  /** Content-Length of the whole body: framing plus bytes. */
  length: number;
}

/**
 * Frames a `multipart/byteranges` body (RFC 9110 14.6, RFC 2046 5.1.1). The
 * framing is ASCII, so string length is byte length.
 */
export function planMultipart(
  ranges: ByteRange[],
  size: number,
  partType: string,
  boundary: string,
): MultipartPlan {
  const parts = ranges.map((range, index) => ({
    range,
    head:
      `${index === 0 ? '' : '\r\n'}--${boundary}\r\n` +
      `Content-Type: ${partType}\r\n` +
      `Content-Range: bytes ${range.start}-${range.end}/${size}\r\n\r\n`,
  }));
  const tail = `\r\n--${boundary}--\r\n`;
  const length = parts.reduce(
    (total, part) => total + part.head.length + (part.range.end - part.range.start + 1),
    tail.length,
  );
  return {
    contentType: `multipart/byteranges; boundary=${boundary}`,
    parts,
    tail,
    length,
  };
}
