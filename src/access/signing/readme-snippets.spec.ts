import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyLink } from './link-signature.js';

// The README's signing snippets, run as written, against the service's verifier.
const README = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');
const KEY = 'readme-snippet-key-0123456789abcdefghij';
const IDS = ['trailers/big buck bunny.webm', "ünï/it's (1) ça*!.mp4", 'clip.mp4'];

function snippet(language: string): string {
  const match = new RegExp(`<!-- snippet:${language} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(README);
  if (match === null) throw new Error(`README has no ${language} snippet`);
  return match[1];
}

/** Splits a signed URL back into what the service reads: the decoded ID and the parameters. */
function parse(url: string, route: string): { id: string; expires: string; signature: string } {
  const parsed = new URL(url, 'http://x');
  expect(parsed.pathname.startsWith(`${route}/`)).toBe(true);
  return {
    id: decodeURIComponent(parsed.pathname.slice(route.length + 1)),
    expires: parsed.searchParams.get('expires') ?? '',
    signature: parsed.searchParams.get('signature') ?? '',
  };
}

describe('the README snippets sign links the service accepts', () => {
  it.each(IDS)('Node, %j', (id) => {
    // The import line is the one thing a Function body cannot hold: createHmac is passed in.
    const body = snippet('node').replace(/^import .*$/m, '');
    const signedUrl = new Function('createHmac', `${body}\nreturn signedUrl;`)(createHmac) as (r: string, i: string, k: string, s: number) => string;
    const link = parse(signedUrl('/watch', id, KEY, 60), '/watch');
    expect(link.id).toBe(id);
    const now = Math.floor(Date.now() / 1000);
    expect(verifyLink([KEY], id, link, now)).toBe('valid');
    expect(verifyLink([KEY], id, link, now + 61)).toBe('expired');
    expect(verifyLink(['another-key-0123456789abcdefghijklmn'], id, link, now)).toBe('invalid');
  });

  const python = existsSync('/usr/bin/python3') ? it : it.skip;
  python.each(IDS)('Python, %j', (id) => {
    const program = `${snippet('python')}\nimport sys\nprint(signed_url('/api/videos', sys.argv[1], sys.argv[2], 60))\n`;
    const url = execFileSync('/usr/bin/python3', ['-c', program, id, KEY], { encoding: 'utf8' }).trim();
    const link = parse(url, '/api/videos');
    expect(link.id).toBe(id);
    expect(verifyLink([KEY], id, link, Math.floor(Date.now() / 1000))).toBe('valid');
  });
});
