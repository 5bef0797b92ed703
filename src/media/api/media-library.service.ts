import { Inject, Injectable } from '@nestjs/common';
import { ListQuery } from './list-query.js';
import { MEDIA_REPOSITORY, type MediaItem, type MediaRepository } from '../storage/media.repository.js';
import { withStorageErrors } from '../storage/storage-error.mapping.js';

export interface MediaPage {
  items: MediaItem[];
  total: number;
  limit: number;
  offset: number;
}

/** Lists, searches and pages the library; finds single items. */
@Injectable()
export class MediaLibraryService {
  constructor(@Inject(MEDIA_REPOSITORY) private readonly repository: MediaRepository) {}

  async list(query: ListQuery): Promise<MediaPage> {
    const needle = query.q.toLowerCase();
    const matching = (await withStorageErrors(() => this.repository.list()))
      .filter((item) => item.id.toLowerCase().includes(needle))
      // The contract's order: the whole ID, compared by UTF-16 code units.
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      items: matching.slice(query.offset, query.offset + query.limit),
      total: matching.length,
      limit: query.limit,
      offset: query.offset,
    };
  }

  find(id: string): Promise<MediaItem | null> {
    return withStorageErrors(() => this.repository.find(id));
  }
}
