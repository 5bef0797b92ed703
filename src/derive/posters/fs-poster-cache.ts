import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PosterCache } from './poster-cache.js';

/**
 * PosterCache in DATA_DIR/posters/<2 hex>/<key>.jpg. Written to a temporary
 * name in the same folder and renamed, so a crash or a second worker never
 * leaves or reads half an image. Keys hold the item's and the sidecar's ETag,
 * so a changed item gets a new file; old files stay until DATA_DIR is pruned.
 */
export class FsPosterCache implements PosterCache {
  private readonly folder: string;

  constructor(dataDir: string) {
    this.folder = path.join(dataDir, 'posters');
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch {
      return null;
    }
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  private pathOf(key: string): string {
    if (!/^[0-9a-f]{16,128}$/.test(key)) throw new Error('A poster key is lower-case hex');
    return path.join(this.folder, key.slice(0, 2), `${key}.jpg`);
  }
}
