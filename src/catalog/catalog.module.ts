import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import path from 'node:path';
import { dataConfig } from '../config/data.config.js';
import { MEDIA_OPTIONS, type MediaOptions } from '../media/media-options.js';
import { CatalogService } from './catalog.service.js';
import { MEDIA_CATALOG } from './media-catalog.js';
import { CatalogIndexer } from './scan/catalog-indexer.js';
import { CATALOG_FILE, CatalogState, catalogSource } from './storage/catalog-state.js';
import { CatalogStore } from './storage/catalog-store.js';

/**
 * The catalog: a SQLite file in DATA_DIR, an in-memory index beside it, and
 * the indexer that keeps it in step with storage. Global, so MediaModule's
 * library service finds MEDIA_CATALOG (and metrics find CatalogService.count).
 * Needs MediaModule (MEDIA_OPTIONS, MEDIA_SCANNER) and the catalog and data
 * settings; binds METADATA_PROBER where some module provides it.
 */
@Global()
@Module({
  providers: [
    {
      provide: CatalogState,
      inject: [dataConfig.KEY, MEDIA_OPTIONS],
      useFactory: (data: ConfigType<typeof dataConfig>, options: MediaOptions) =>
        new CatalogState(new CatalogStore(path.join(data.dataDir, CATALOG_FILE), catalogSource(options.storage))),
    },
    CatalogIndexer,
    CatalogService,
    { provide: MEDIA_CATALOG, useExisting: CatalogService },
  ],
  exports: [MEDIA_CATALOG, CatalogService, CatalogIndexer],
})
export class CatalogModule {}
