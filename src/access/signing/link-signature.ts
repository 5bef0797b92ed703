import { hash, timingSafeEqual } from 'node:crypto';

/** What a link's `expires` and `signature` say about a request for one item. */
export type LinkVerdict = 'valid' | 'expired' | 'invalid';

/** The two query parameters of a signed link, exactly as the URL carries them. */
export interface LinkParameters {
  expires: string;
  signature: string;
}

/** HMAC-SHA256 is 32 bytes: 43 base64url characters without padding. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
/**
 * Plain decimal, no sign, no leading zero, at most 12 digits (past the year
 * 33000): anything else is not a time any signer wrote, and a bound keeps the
 * number exact.
 */
const EXPIRES = /^(0|[1-9][0-9]{0,11})$/;

const SHA256_BLOCK = 64;
const SHA256_BYTES = 32;
const SIGNATURE_LENGTH = 43;

/**
 * HMAC (RFC 2104) written out as two one-shot SHA-256 hashes, the inner over
 * the key's inner pad and the message, the outer over its outer pad and the
 * inner digest. createHmac (or a Hash copied per link) makes native objects
 * that only the garbage collector releases, through weak callbacks;
 * crypto.hash() makes none. What is left is kept to the fewest crossings into
 * C++ and no allocation but strings (callgrind counts the Buffers made and
 * copied per verify as much of its cost): for a key of ASCII within one block
 * the inner pad is ASCII too, so the inner input is a string whose UTF-8 is
 * the pad's bytes followed by the message's; the inner digest comes back as
 * latin1 text and is written into the key's outer block, kept between links.
 * The unit tests check every result against createHmac, for keys of every
 * length and of non-ASCII characters.
 */
function macText(key: string, id: string, expires: string): string {
  const pads = padsOf(key);
  const message = `${id}\n${expires}`;
  let inner: string;
  if (pads.innerText !== null) {
    inner = hash('sha256', pads.innerText + message, 'binary');
  } else {
    const input = Buffer.allocUnsafe(SHA256_BLOCK + Buffer.byteLength(message, 'utf8'));
    pads.inner.copy(input, 0);
    input.write(message, SHA256_BLOCK, 'utf8');
    inner = hash('sha256', input, 'binary');
  }
  // 'binary' is latin1: a character per byte.
  pads.outer.write(inner, SHA256_BLOCK, 'binary');
  return hash('sha256', pads.outer, 'base64url');
}

/** Keys are the configured few; the bound only keeps a caller that passes many from growing it. */
const KEY_PADS_MAX = 64;
const keyPads = new Map<string, KeyPads>();

interface KeyPads {
  /** The key XOR RFC 2104's inner pad: one SHA-256 block. */
  inner: Buffer;
  /** The same as text, when every byte is ASCII (its UTF-8 is then itself), else null. */
  innerText: string | null;
  /** The key XOR the outer pad, then room for the inner digest: written per link (verifying is synchronous). */
  outer: Buffer;
}

function padsOf(key: string): KeyPads {
  let pads = keyPads.get(key);
  if (pads === undefined) {
    if (keyPads.size >= KEY_PADS_MAX) keyPads.clear();
    let bytes = Buffer.from(key, 'utf8');
    if (bytes.length > SHA256_BLOCK) bytes = hash('sha256', bytes, 'buffer');
    const inner = Buffer.alloc(SHA256_BLOCK, 0x36);
    const outer = Buffer.alloc(SHA256_BLOCK + SHA256_BYTES, 0x5c);
    for (let i = 0; i < bytes.length; i++) {
      inner[i] ^= bytes[i];
      outer[i] ^= bytes[i];
    }
    const innerText = inner.every((byte) => byte < 0x80) ? inner.toString('latin1') : null;
    pads = { inner, innerText, outer };
    keyPads.set(key, pads);
  }
  return pads;
}

/** The compared texts, written into the same two buffers for every link: no allocation per verify. */
const presentedBytes = Buffer.alloc(SIGNATURE_LENGTH);
const expectedBytes = Buffer.alloc(SIGNATURE_LENGTH);

/** The contract's rule: base64url (no padding) of HMAC-SHA256(key, utf8(id + "\n" + expires)). */
export function signLink(key: string, id: string, expires: number): LinkParameters {
  const text = String(expires);
  return { expires: text, signature: macText(key, id, text) };
}

/**
 * The two parameters from a parsed query (querystring's or Express's), or
 * null when either is missing, repeated (an array) or not a string.
 */
export function linkParametersOf(query: Readonly<Record<string, unknown>>): LinkParameters | null {
  const { expires, signature } = query;
  return typeof expires === 'string' && typeof signature === 'string' ? { expires, signature } : null;
}

/**
 * Checks a link against every key (the first signs, all verify, so keys
 * rotate). Every key is tried whatever the outcome and the MACs compare in
 * constant time, so the time taken says nothing about how close a guess was.
 * Expiry is judged only for a genuine signature: a forged link is "invalid".
 */
export function verifyLink(keys: readonly string[], id: string, link: LinkParameters | null, nowSeconds: number): LinkVerdict {
  if (link === null || !EXPIRES.test(link.expires) || !SIGNATURE.test(link.signature)) {
    return 'invalid';
  }
  // Compared as the canonical spelling: a last character with its two spare
  // bits set decodes to the same bytes, yet no signer writes it, so it fails.
  // The regex above made it 43 ASCII characters, as every expected text is.
  presentedBytes.write(link.signature, 0, 'latin1');
  let genuine = false;
  for (const key of keys) {
    expectedBytes.write(macText(key, id, link.expires), 0, 'latin1');
    // The comparison first, so that it runs for every key, matched or not.
    genuine = timingSafeEqual(presentedBytes, expectedBytes) || genuine;
  }
  if (!genuine) {
    return 'invalid';
  }
  // As nginx's secure_link: the link still works during its `expires` second.
  return Number(link.expires) < nowSeconds ? 'expired' : 'valid';
}
