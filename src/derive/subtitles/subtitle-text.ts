import iconv from 'iconv-lite';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * The text of a subtitle file. SubRip has no declared encoding: files made
 * on Windows are often Windows-1252, so bytes that are not valid UTF-8 are
 * read as that (it maps every byte, so decoding never fails). Through
 * iconv-lite, not TextDecoder: Node 20's TextDecoder('windows-1252') decodes
 * as Latin-1, turning 0x80-0x9F (curly quotes, dashes, €) into control
 * characters. A UTF-16 file
 * is recognised only by its byte-order mark. A UTF-8 BOM is dropped.
 */
export function decodeSubtitleText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const body = UTF8_BOM.every((byte, index) => bytes[index] === byte) ? bytes.subarray(UTF8_BOM.length) : bytes;
  try {
    // ignoreBOM: the BOM is dropped above, once; a second one is text.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), 'windows-1252');
  }
}
