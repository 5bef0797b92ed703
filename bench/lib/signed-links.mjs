// Signed links for the `service-signed` server (ACCESS_MODE=signed): the
// contract's rule, as any backend would apply it. A pool of distinct links
// per file, each with its own expiry, so every request carries a signature
// the service has to verify afresh.
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export const BENCH_SIGNING_KEY = 'bench-signing-key-not-a-secret-0123456789';
export const BENCH_API_KEY = 'bench-api-key-not-a-secret-01';
const POOL = 4096;

/** `expires=...&signature=...` for one item. */
export function signedQuery(id, expires) {
  const signature = createHmac('sha256', BENCH_SIGNING_KEY).update(`${id}\n${expires}`, 'utf8').digest('base64url');
  return `expires=${expires}&signature=${signature}`;
}

/** Writes POOL links to `id`, one query string a line, valid for a day; returns the file. */
export function writeLinkPool(folder, id) {
  const base = Math.floor(Date.now() / 1000) + 86_400;
  const lines = Array.from({ length: POOL }, (_, i) => signedQuery(id, base + i));
  const file = path.join(folder, `links-${id.replace(/[^a-z0-9.]/gi, '_')}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
