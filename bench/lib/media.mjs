// The media the scenarios read: generated once, reused while the size matches.

import { randomFillSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

export const MiB = 1024 * 1024;

/**
 * Makes `file` exactly `size` random bytes unless it already is that size.
 * Random rather than zeros so nothing on the way can be clever about the
 * content; written to a temporary name and renamed, so an interrupted run
 * never leaves a short file that a later run would take for a finished one.
 */
export async function ensureFile(file, size) {
  try {
    if ((await stat(file)).size === size) return 'reused';
  } catch {
    // missing: make it
  }
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.partial-${process.pid}`;
  const handle = await open(temporary, 'w');
  try {
    const block = Buffer.allocUnsafe(4 * MiB);
    for (let written = 0; written < size; ) {
      randomFillSync(block);
      const length = Math.min(block.length, size - written);
      await handle.write(block, 0, length);
      written += length;
    }
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
  return 'created';
}

/**
 * Reads a file once so it is in the page cache before the first measurement:
 * otherwise whichever server happens to go first pays for the disk.
 */
export async function warmPageCache(file) {
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * MiB })) void chunk;
}
