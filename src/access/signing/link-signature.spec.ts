import { createHmac } from 'node:crypto';
import { LinkParameters, linkParametersOf, signLink, verifyLink } from './link-signature.js';

const KEY = 'k'.repeat(32);
const OLD_KEY = 'old-signing-key-0123456789abcdefghij';
const OTHER_KEY = 'another-key-that-never-signed-anything';
const NOW = 1_800_000_000;
const LATER = NOW + 600;

/** The rule written out independently of the implementation, as another backend would. */
function referenceSignature(key: string, id: string, expires: string): string {
  return createHmac('sha256', key).update(Buffer.from(`${id}\n${expires}`, 'utf8')).digest('base64url');
}

describe('signLink', () => {
  it.each(['clip.mp4', 'trailers/big buck bunny.webm', 'ünï/çødé 🎬.mkv', 'a%2Fb.mp4', 'x'.repeat(1024)])(
    'follows the rule for %j',
    (id) => {
      const link = signLink(KEY, id, LATER);
      expect(link.expires).toBe(String(LATER));
      expect(link.signature).toBe(referenceSignature(KEY, id, String(LATER)));
      expect(link.signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    },
  );

  it.each([
    ['the shortest allowed key', 'k'.repeat(32)],
    ['a key of one SHA-256 block', 'b'.repeat(64)],
    ['a key one byte longer than a block (hashed first)', 'c'.repeat(65)],
    ['a long key', 'd'.repeat(300)],
    ['a key with multi-byte characters', 'clé-ünïcode-🔑-'.repeat(4)],
    ['a key of latin1 characters (one byte in latin1, two in UTF-8)', 'ÿé'.repeat(16)],
    // '6' and '\\' are the pads' own bytes: XORed they give NUL characters.
    ['an ASCII key whose pads hold NULs and controls', '6\\\u0001\u007f'.repeat(8)],
  ])('computes the HMAC as createHmac does with %s', (_name, key) => {
    for (const id of ['clip.mp4', 'ünï/çødé 🎬.mkv']) {
      expect(signLink(key, id, LATER).signature).toBe(referenceSignature(key, id, String(LATER)));
      expect(verifyLink([key], id, signLink(key, id, LATER), LATER - 1)).toBe('valid');
    }
  });

  it('signs the ID as listed, not percent-encoded', () => {
    const id = 'trailers/big buck bunny.webm';
    expect(signLink(KEY, id, LATER).signature).not.toBe(referenceSignature(KEY, encodeURIComponent(id), String(LATER)));
  });

  it.each<[string, string]>([
    ['clip.mp4', 'W6O9sBh7z12tELG7fXmfgtxBqQZHZyN6_NkU0Q78fy4'],
    ['ünï/çødé 🎬.mkv', 'DpN62b_qJmYWBQg6ov06V-gfElrZucBsNxxGImHo-xw'],
  ])('matches the answer openssl gives for %j', (id, expected) => {
    // printf '<id>\n1800000600' | openssl dgst -sha256 -hmac "$KEY" -binary | base64 | tr '+/' '-_' | tr -d '='
    expect(signLink(KEY, id, LATER).signature).toBe(expected);
  });
});

describe('verifyLink', () => {
  const id = 'trailers/ünï clip.mp4';
  // A time whose signature has a - or _, so its standard-base64 spelling differs.
  const expiresWithUrlAlphabet = Array.from({ length: 100 }, (_, i) => LATER + i).find((t) => /[-_]/.test(signLink(KEY, id, t).signature));
  const good = signLink(KEY, id, expiresWithUrlAlphabet ?? LATER);

  it('accepts a link signed with the first key', () => {
    expect(verifyLink([KEY, OLD_KEY], id, good, NOW)).toBe('valid');
  });

  it('accepts a link signed with an older key (rotation)', () => {
    expect(verifyLink([KEY, OLD_KEY], id, signLink(OLD_KEY, id, LATER), NOW)).toBe('valid');
  });

  it('refuses a key that was rotated out', () => {
    expect(verifyLink([KEY], id, signLink(OLD_KEY, id, LATER), NOW)).toBe('invalid');
    expect(verifyLink([KEY, OLD_KEY], id, signLink(OTHER_KEY, id, LATER), NOW)).toBe('invalid');
  });

  it('refuses a link of another item', () => {
    expect(verifyLink([KEY], 'trailers/other.mp4', good, NOW)).toBe('invalid');
    expect(verifyLink([KEY], encodeURIComponent(id), good, NOW)).toBe('invalid');
    expect(verifyLink([KEY], id.normalize('NFD'), good, NOW)).toBe('invalid');
    expect(verifyLink([KEY], `${id}\n`, good, NOW)).toBe('invalid');
  });

  it('refuses a link whose expires was changed', () => {
    expect(verifyLink([KEY], id, { ...good, expires: String(Number(good.expires) + 1) }, NOW)).toBe('invalid');
  });

  it('says expired for a genuine link past its time, and only then', () => {
    const past = signLink(KEY, id, NOW - 1);
    expect(verifyLink([KEY], id, past, NOW)).toBe('expired');
    expect(verifyLink([KEY], id, signLink(KEY, id, 0), NOW)).toBe('expired');
    expect(verifyLink([KEY], id, { ...past, signature: signLink(OTHER_KEY, id, NOW - 1).signature }, NOW)).toBe('invalid');
  });

  it('still accepts a link during its expires second', () => {
    expect(verifyLink([KEY], id, signLink(KEY, id, NOW), NOW)).toBe('valid');
    expect(verifyLink([KEY], id, signLink(KEY, id, NOW), NOW + 1)).toBe('expired');
  });

  it('refuses everything without keys', () => {
    expect(verifyLink([], id, good, NOW)).toBe('invalid');
  });

  it('refuses a missing link', () => {
    expect(verifyLink([KEY], id, null, NOW)).toBe('invalid');
  });

  /** A signature of `expires` spelled as given, so only the spelling can fail. */
  const spelled = (expires: string): LinkParameters => ({ expires, signature: referenceSignature(KEY, id, expires) });

  it.each(['', ' 1800000600', '1800000600 ', '+1800000600', '-1800000600', '01800000600', '1800000600.0', '1.8e9', '0x6B49D200',
    '１８００００００６００', '1800000600\n', '1_800_000_600', '1,800,000,600', '9999999999999', '99999999999999999999999', 'Infinity', 'NaN'])(
    'refuses expires=%j even when correctly signed',
    (expires) => {
      expect(verifyLink([KEY], id, spelled(expires), NOW)).toBe('invalid');
    },
  );

  it('accepts the largest expires it allows', () => {
    expect(verifyLink([KEY], id, spelled('999999999999'), NOW)).toBe('valid');
  });

  const sig = good.signature;
  const standard = Buffer.from(sig, 'base64url').toString('base64');
  const hex = Buffer.from(sig, 'base64url').toString('hex');
  // The last of 43 characters carries 2 spare bits: flipping them keeps the bytes.
  const lastIndex = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(sig[42]);
  const sloppyLast = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[lastIndex | 1];

  it.each<[string, string]>([
    ['empty', ''],
    ['with padding', `${sig}=`],
    ['standard base64 with padding', standard],
    ['standard base64 without padding', standard.replace(/=+$/, '')],
    ['hex', hex],
    ['upper-case hex', hex.toUpperCase()],
    ['one character short', sig.slice(0, 42)],
    ['one character long', `${sig}A`],
    ['with a space', `${sig.slice(0, 42)} `],
    ['with a plus', `${sig.slice(0, 42)}+`],
    ['with a slash', `${sig.slice(0, 42)}/`],
    ['with a dot', `${sig.slice(0, 42)}.`],
    ['in another case', sig.toUpperCase() === sig ? sig.toLowerCase() : sig.toUpperCase()],
    ['with a non-canonical last character', `${sig.slice(0, 42)}${sloppyLast}`],
    ['with a unicode look-alike', `${sig.slice(0, 42)}\u0410`],
  ])('refuses a signature %s', (_name, signature) => {
    expect(signature).not.toBe(sig);
    expect(verifyLink([KEY], id, { expires: good.expires, signature }, NOW)).toBe('invalid');
  });

  it('refuses the non-canonical spelling although it decodes to the same bytes', () => {
    expect(Buffer.from(`${sig.slice(0, 42)}${sloppyLast}`, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
  });
});

describe('linkParametersOf', () => {
  it('takes one expires and one signature', () => {
    expect(linkParametersOf({ expires: '1', signature: 's', download: '1' })).toEqual({ expires: '1', signature: 's' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['nothing', {}],
    ['no signature', { expires: '1' }],
    ['no expires', { signature: 's' }],
    ['a doubled expires', { expires: ['1', '1'], signature: 's' }],
    ['a doubled signature', { expires: '1', signature: ['s', 's'] }],
    ['an object (qs-style brackets)', { expires: { a: '1' }, signature: 's' }],
  ])('refuses %s', (_name, query) => {
    expect(linkParametersOf(query)).toBeNull();
  });
});
