import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { ProbeResult } from '../../derive/media-metadata.js';
import type { MediaItem } from '../../media/storage/media.repository.js';
import type { StoredFile } from '../../media/storage/media-scanner.js';
import { type ItemRow, type SidecarRow, topLevelType } from './catalog-rows.js';
import { prepareSchema } from './catalog-schema.js';

export interface CatalogChanges {
  rev: number;
  items: ItemRow[];
  sidecars: SidecarRow[];
}

/**
 * The catalog's SQLite file (WAL: readers in other workers never wait for
 * the writer). Every write is one transaction that raises `rev`; readers
 * poll `rev` (microseconds) and fetch only the rows written since.
 */
export class CatalogStore {
  private readonly db: Database.Database;
  private readonly readRev: Statement<[], { value: number }>;
  private readonly bumpRev: Statement<[], { value: number }>;
  private readonly itemsSince: Statement<[number], ItemRow>;
  private readonly sidecarsSince: Statement<[number], SidecarRow>;
  private readonly upsertItem: Statement;
  private readonly removeItem: Statement;
  private readonly upsertSidecar: Statement;
  private readonly removeSidecar: Statement;
  private readonly storeProbe: Statement;
  private readonly takeLease: Statement;
  private readonly dropLease: Statement;

  constructor(file: string, source: string) {
    this.db = new Database(file);
    prepareSchema(this.db, source);
    this.readRev = this.db.prepare("SELECT value FROM meta WHERE key = 'rev'");
    this.bumpRev = this.db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'rev' RETURNING value");
    this.itemsSince = this.db.prepare('SELECT * FROM items WHERE rev > ?');
    this.sidecarsSince = this.db.prepare('SELECT * FROM sidecars WHERE rev > ?');
    // The probe columns are kept on conflict: they name the ETag they belong
    // to, so a changed file reads as pending and an unchanged one as ready.
    this.upsertItem = this.db.prepare(`INSERT INTO items (id, name, size, modified_ms, etag, mime_type, type, rev, deleted)
      VALUES (@id, @name, @size, @modifiedMs, @etag, @mimeType, @type, @rev, 0)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, size = excluded.size, modified_ms = excluded.modified_ms,
        etag = excluded.etag, mime_type = excluded.mime_type, type = excluded.type, rev = excluded.rev, deleted = 0`);
    this.removeItem = this.db.prepare('UPDATE items SET deleted = 1, rev = ? WHERE id = ? AND deleted = 0');
    this.upsertSidecar = this.db.prepare(`INSERT INTO sidecars (id, size, modified_ms, etag, rev, deleted)
      VALUES (@id, @size, @modifiedMs, @etag, @rev, 0)
      ON CONFLICT (id) DO UPDATE SET size = excluded.size, modified_ms = excluded.modified_ms, etag = excluded.etag, rev = excluded.rev, deleted = 0`);
    this.removeSidecar = this.db.prepare('UPDATE sidecars SET deleted = 1, rev = ? WHERE id = ? AND deleted = 0');
    this.storeProbe = this.db.prepare(`UPDATE items SET probed_etag = @etag, metadata = @metadata, duration = @duration,
      has_cover_art = @hasCoverArt, rev = @rev WHERE id = @id AND etag = @etag AND deleted = 0`);
    this.takeLease = this.db.prepare(`INSERT INTO lease (name, holder, expires_ms) VALUES ('indexer', @holder, @expires)
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
      WHERE lease.holder = excluded.holder OR lease.expires_ms < @now`);
    this.dropLease = this.db.prepare("DELETE FROM lease WHERE name = 'indexer' AND holder = ?");
  }

  rev(): number {
    return this.readRev.get()?.value ?? 0;
  }

  changesSince(rev: number): CatalogChanges {
    // One read transaction: the rows and the rev they add up to agree.
    return this.db.transaction(() => ({ rev: this.rev(), items: this.itemsSince.all(rev), sidecars: this.sidecarsSince.all(rev) }))();
  }

  /** Writes what a scan found changed, in one transaction. */
  write(items: readonly MediaItem[], removedItems: readonly string[], sidecars: readonly StoredFile[], removedSidecars: readonly string[]): void {
    this.db.transaction(() => {
      const rev = this.nextRev();
      for (const item of items) {
        this.upsertItem.run({
          id: item.id,
          name: item.name,
          size: item.size,
          modifiedMs: item.modifiedAt.getTime(),
          etag: item.etag,
          mimeType: item.mimeType,
          type: topLevelType(item.mimeType),
          rev,
        });
      }
      for (const id of removedItems) this.removeItem.run(rev, id);
      for (const file of sidecars) {
        this.upsertSidecar.run({ id: file.id, size: file.size, modifiedMs: file.modifiedAt.getTime(), etag: file.etag, rev });
      }
      for (const id of removedSidecars) this.removeSidecar.run(rev, id);
    }).immediate();
  }

  /** Stores a probe result, unless the item changed or went away meanwhile. */
  writeProbe(id: string, result: ProbeResult): void {
    this.db.transaction(() => {
      this.storeProbe.run({
        id,
        etag: result.etag,
        metadata: JSON.stringify(result.metadata),
        duration: result.metadata.durationSeconds,
        hasCoverArt: result.hasCoverArt ? 1 : 0,
        rev: this.nextRev(),
      });
    }).immediate();
  }

  /** Takes or renews the indexer's lease; true while `holder` holds it. */
  lease(holder: string, ttlMs: number): boolean {
    const now = Date.now();
    return this.takeLease.run({ holder, expires: now + ttlMs, now }).changes === 1;
  }

  releaseLease(holder: string): void {
    this.dropLease.run(holder);
  }

  close(): void {
    this.db.close();
  }

  private nextRev(): number {
    return this.bumpRev.get()?.value ?? 0;
  }
}
