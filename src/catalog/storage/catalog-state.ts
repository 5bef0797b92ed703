import type { OnApplicationShutdown } from '@nestjs/common';
import type { MediaStorageOptions } from '../../media/media-options.js';
import { CatalogIndex } from '../index/catalog-index.js';
import { CatalogStore } from './catalog-store.js';

export const CATALOG_FILE = 'catalog.sqlite';

/** What storage a catalog file describes: another root or bucket empties it. */
export function catalogSource(storage: MediaStorageOptions | null): string {
  if (storage === null) return 'custom';
  return storage.kind === 'fs' ? `fs:${storage.root}` : `s3:${storage.endpoint ?? 'aws'}/${storage.bucket}/${storage.prefix}`;
}

/**
 * The SQLite file and the in-memory index that follows it, in every worker.
 * `refresh` costs one indexed read when nothing changed, so each request
 * calls it and sees the indexing worker's writes at once.
 */
export class CatalogState implements OnApplicationShutdown {
  readonly index = new CatalogIndex();
  private closed = false;

  constructor(readonly store: CatalogStore) {
    this.refresh();
  }

  refresh(): void {
    if (this.closed || this.store.rev() === this.index.rev) return;
    this.index.apply(this.store.changesSince(this.index.rev));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  onApplicationShutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.store.close();
  }
}
