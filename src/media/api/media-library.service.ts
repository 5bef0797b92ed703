import { Inject, Injectable, Optional } from '@nestjs/common';
import { MEDIA_CATALOG, type CatalogedItem, type MediaCatalog } from '../../catalog/media-catalog.js';
import { ListQuery } from './list-query.js';
import { MEDIA_REPOSITORY, type MediaItem, type MediaRepository } from '../storage/media.repository.js';
import { withStorageErrors } from '../storage/storage-error.mapping.js';
import { UNAVAILABLE_METADATA } from '../../catalog/catalog-metadata.js';
import { compareIds } from '../../catalog/index/catalog-order.js';

/** The contract: GET /api/videos/:id waits up to 10 s for a pending probe. */
export const PROBE_WAIT_MS = 10_000;

export interface MediaPage {
  items: LibraryItem[];
  total: number;
  limit: number;
  offset: number;
}

/** A storage item with what the catalog knows of it. */
export type LibraryItem = MediaItem & Pick<CatalogedItem, 'details'>;

/**
 * Lists the library from the catalog; finds single items in storage (so a
 * new file is found before it is listed, and a deleted one is not).
 */
@Injectable()
export class MediaLibraryService {
  constructor(
    @Inject(MEDIA_REPOSITORY) private readonly repository: MediaRepository,
    // Absent in an app that imports MediaModule without CatalogModule: the
    // listing then walks storage, as before the catalog.
    @Optional() @Inject(MEDIA_CATALOG) private readonly catalog: MediaCatalog | null = null,
  ) {}

  async list(query: ListQuery): Promise<MediaPage> {
    const page = this.catalog !== null ? this.catalog.list(query) : await this.walk(query);
    return {
      items: page.items.map(({ item, details }) => ({ ...item, details })),
      total: page.total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  find(id: string): Promise<MediaItem | null> {
    return withStorageErrors(() => this.repository.find(id));
  }

  /** The item from storage with its details, waiting up to PROBE_WAIT_MS for a pending probe. */
  async describe(id: string, waitMs = PROBE_WAIT_MS): Promise<LibraryItem | null> {
    const item = await this.find(id);
    if (item === null) return null;
    const details = this.catalog !== null ? await this.catalog.details(item, waitMs) : noDetails();
    return { ...item, details };
  }

  private async walk(query: ListQuery): Promise<{ items: CatalogedItem[]; total: number }> {
    const needle = query.q.toLowerCase();
    const matching = (await withStorageErrors(() => this.repository.list()))
      .filter((item) => item.id.toLowerCase().includes(needle) && (query.type === null || item.mimeType.startsWith(`${query.type}/`)))
      .sort((a, b) => compareIds(a.id, b.id));
    return {
      items: matching.slice(query.offset, query.offset + query.limit).map((item) => ({ item, details: noDetails() })),
      total: matching.length,
    };
  }
}

function noDetails(): CatalogedItem['details'] {
  return { metadata: UNAVAILABLE_METADATA, hasCoverArt: false, sidecars: [] };
}
