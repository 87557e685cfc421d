/**
 * The better-sqlite3 side of SqliteStorage: loading the driver, the connection's pragmas, the versioned schema and
 * the statements prepared once per connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { MlcycleError } from '../../core/errors.js';
import type { RawDocument, RawLogEntry } from '../batch.js';
import type { BlobInfo } from '../types.js';

/** An open better-sqlite3 connection. */
export type Database = BetterSqlite3.Database;
/** A prepared better-sqlite3 statement. */
export type Statement<P extends unknown[] | object, R> = BetterSqlite3.Statement<P, R>;
/** The better-sqlite3 module's default export. */
export type DatabaseConstructor = typeof BetterSqlite3;

/**
 * Loads better-sqlite3, or throws `UNSUPPORTED` saying how to install it.
 * @internal
 */
export async function loadDriver(
  importDriver: () => Promise<{ default: DatabaseConstructor }> = () => import('better-sqlite3'),
): Promise<DatabaseConstructor> {
  try {
    return (await importDriver()).default;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    throw new MlcycleError(
      'UNSUPPORTED',
      missing
        ? 'SqliteStorage needs the optional peer dependency better-sqlite3, which is not installed: npm install better-sqlite3'
        : `SqliteStorage could not load better-sqlite3 (${(error as Error).message}); reinstall it for this Node version: npm rebuild better-sqlite3`,
      { cause: error },
    );
  }
}

/**
 * The schema version this code writes and understands, kept in `PRAGMA user_version`.
 * @internal
 */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS documents (
  collection TEXT NOT NULL, id TEXT NOT NULL, revision INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  value TEXT NOT NULL, PRIMARY KEY (collection, id));
CREATE TABLE IF NOT EXISTS logs (
  log TEXT NOT NULL, "offset" INTEGER NOT NULL, timestamp INTEGER NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (log, "offset"));
CREATE TABLE IF NOT EXISTS blobs (
  key TEXT NOT NULL PRIMARY KEY, data BLOB NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
  created_at INTEGER NOT NULL);
PRAGMA user_version = ${SCHEMA_VERSION};`;

/** Sets the connection's pragmas (WAL first), then creates the schema or checks its version. */
export function prepareDatabase(
  db: Database,
  path: string,
  busyTimeoutMs: number,
  synchronous: string,
): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal' && !db.memory) {
    throw new MlcycleError(
      'STORAGE',
      `SQLite database ${JSON.stringify(path)} could not switch to WAL mode (it reports journal_mode ${String(mode)}); SqliteStorage needs a local file system that supports WAL`,
    );
  }
  db.pragma(`synchronous = ${synchronous}`);
  const checkVersion = (): number => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new MlcycleError(
        'UNSUPPORTED',
        `SQLite database ${JSON.stringify(path)} has mlcycle schema version ${version}, but this mlcycle understands versions up to ${SCHEMA_VERSION}; upgrade mlcycle to open it`,
        { details: { path, version, supported: SCHEMA_VERSION } },
      );
    }
    return version;
  };
  if (checkVersion() < SCHEMA_VERSION) {
    db.transaction(() => {
      if (checkVersion() < SCHEMA_VERSION) db.exec(SCHEMA);
    }).immediate();
  }
}

/** Every fixed statement the store runs, prepared once per connection. */
export interface Statements {
  /** `[revision, updatedAt, json]` of one document. */
  document: Statement<[string, string], [number, number, string]>;
  collection: Statement<[string], RawDocument>;
  revision: Statement<[string, string], number>;
  /** Creates at revision 1 or bumps the revision; returns the new revision. */
  upsert: Statement<[string, string, number, string], number>;
  remove: Statement<[string, string], void>;
  /** Appends at the log's next offset; returns that offset. */
  append: Statement<[{ log: string; timestamp: number; json: string }], number>;
  log: Statement<[string, number, number], RawLogEntry>;
  logLength: Statement<[string], number>;
  storeBlob: Statement<[string, Uint8Array, string, number, number], void>;
  blob: Statement<[string], BlobInfo & { data: Uint8Array }>;
  blobInfo: Statement<[string], BlobInfo>;
  removeBlob: Statement<[string], void>;
}

/** Prepares {@link Statements} on a connection whose schema exists. */
export function prepareStatements(db: Database): Statements {
  return {
    // Rows as arrays, without the id the caller already has: each column and named property costs on this path.
    document: db
      .prepare<[string, string], [number, number, string]>(
        'SELECT revision, updated_at, value FROM documents WHERE collection = ? AND id = ?',
      )
      .raw(),
    collection: db.prepare<[string], RawDocument>(
      'SELECT id, revision, updated_at AS updatedAt, value AS json FROM documents WHERE collection = ?',
    ),
    revision: db
      .prepare<[string, string], number>('SELECT revision FROM documents WHERE collection = ? AND id = ?')
      .pluck(),
    upsert: db
      .prepare<[string, string, number, string], number>(
        'INSERT INTO documents (collection, id, revision, updated_at, value) VALUES (?, ?, 1, ?, ?) ' +
          'ON CONFLICT (collection, id) DO UPDATE SET revision = revision + 1, ' +
          'updated_at = excluded.updated_at, value = excluded.value RETURNING revision',
      )
      .pluck(),
    remove: db.prepare<[string, string], void>('DELETE FROM documents WHERE collection = ? AND id = ?'),
    append: db
      .prepare<[{ log: string; timestamp: number; json: string }], number>(
        'INSERT INTO logs (log, "offset", timestamp, value) ' +
          'SELECT @log, coalesce(max("offset") + 1, 0), @timestamp, @json FROM logs WHERE log = @log ' +
          'RETURNING "offset"',
      )
      .pluck(),
    log: db.prepare<[string, number, number], RawLogEntry>(
      'SELECT "offset" AS offset, timestamp, value AS json FROM logs ' +
        'WHERE log = ? AND "offset" >= ? ORDER BY "offset" LIMIT ?',
    ),
    logLength: db
      .prepare<[string], number>('SELECT coalesce(max("offset") + 1, 0) FROM logs WHERE log = ?')
      .pluck(),
    storeBlob: db.prepare<[string, Uint8Array, string, number, number], void>(
      'INSERT OR REPLACE INTO blobs (key, data, sha256, size, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    blob: db.prepare<[string], BlobInfo & { data: Uint8Array }>(
      'SELECT key, size, sha256, created_at AS createdAt, data FROM blobs WHERE key = ?',
    ),
    blobInfo: db.prepare<[string], BlobInfo>(
      'SELECT key, size, sha256, created_at AS createdAt FROM blobs WHERE key = ?',
    ),
    removeBlob: db.prepare<[string], void>('DELETE FROM blobs WHERE key = ?'),
  };
}
