import type { Database } from 'better-sqlite3';

/** Bump when the tables change: an older file is rebuilt by the next scan. */
export const SCHEMA_VERSION = 1;

// Every row carries the `rev` of the write that last touched it, and a
// removed file stays as a row with `deleted = 1`: a process that reads the
// same file (another worker) asks for `rev > last seen` and learns every
// change, removals included, without reading the whole table again.
const TABLES = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS items (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL,
  etag TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  type TEXT NOT NULL,
  probed_etag TEXT,
  metadata TEXT,
  duration REAL,
  has_cover_art INTEGER NOT NULL DEFAULT 0,
  rev INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS items_rev ON items (rev);
CREATE TABLE IF NOT EXISTS sidecars (
  id TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL,
  etag TEXT NOT NULL,
  rev INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sidecars_rev ON sidecars (rev);
CREATE TABLE IF NOT EXISTS lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms INTEGER NOT NULL) WITHOUT ROWID;
`;

/**
 * Opens the schema in `db` for `source` (the storage it indexes). A catalog
 * of another source or schema version is emptied, not trusted: the same ID
 * in another bucket is another file.
 */
export function prepareSchema(db: Database, source: string): void {
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a power cut may lose the last writes, never corrupt;
  // the next scan writes them again.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.transaction(() => {
    db.exec(TABLES);
    const read = db.prepare<[string], { value: unknown }>('SELECT value FROM meta WHERE key = ?');
    const write = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    if (read.get('source')?.value !== source || read.get('schema')?.value !== SCHEMA_VERSION) {
      db.exec('DELETE FROM items; DELETE FROM sidecars;');
      write.run('source', source);
      write.run('schema', SCHEMA_VERSION);
    }
    if (read.get('rev') === undefined) write.run('rev', 0);
  }).immediate();
}
