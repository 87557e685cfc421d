import { z } from 'zod';
import { clockSchema } from '../../core/clock.js';
import { MlcycleError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { AbstractStorage, type StorageOptions } from '../base.js';
import type {
  LoadedBlob,
  LoadedDocuments,
  RawDocument,
  RawLogEntry,
  WriteBatch,
  WriteResult,
} from '../batch.js';
import { StoreState } from '../state.js';
import type { BlobInfo, ListOptions } from '../types.js';
import {
  type Database,
  loadDriver,
  prepareDatabase,
  prepareStatements,
  type Statement,
  type Statements,
} from './database.js';
import { listQuery } from './list-query.js';

/** Options for {@link SqliteStorage.open}. */
export interface SqliteStorageOptions extends StorageOptions {
  /**
   * The database file. It is created, with its tables, if it does not exist; its directory must exist.
   * `':memory:'` gives a private in-memory database, gone when the store closes.
   */
  path: string;
  /**
   * How long a write waits for another connection's write lock before failing with `STORAGE`. better-sqlite3 is
   * synchronous, so the waiting blocks this thread.
   * @defaultValue 5000
   */
  busyTimeoutMs?: number;
  /**
   * `'full'` syncs the write-ahead log on every commit, so an acknowledged write survives power loss. `'normal'`
   * syncs only at checkpoints: faster, still safe against a crashed process, but the last commits before a power
   * loss may be lost.
   * @defaultValue 'full'
   */
  synchronous?: 'full' | 'normal';
}

const optionsSchema = z.strictObject({
  path: z.string().min(1),
  busyTimeoutMs: z.number().int().min(0).max(2_147_483_647).optional(),
  synchronous: z.enum(['full', 'normal']).optional(),
  clock: clockSchema.optional(),
});

/** Matches an unpaired surrogate, which UTF-8 text (and so SQLite) cannot hold. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

const MAX_CACHED_QUERIES = 64;

/**
 * A `Storage` in one SQLite file (through the optional peer dependency `better-sqlite3`), in WAL mode, for
 * several processes on one machine. Every write is one `BEGIN IMMEDIATE` transaction that first checks the
 * revisions it depends on, so optimistic concurrency holds across processes; readers never block writers. Listing
 * runs as SQL over SQLite's JSON functions, with the same results as every other adapter.
 *
 * Ids must be well-formed Unicode (no unpaired surrogates), because SQLite keeps text as UTF-8. Strings with
 * unpaired surrogates inside values are stored and matched exactly, but sort where their UTF-8 bytes put them.
 *
 * @example
 * ```ts
 * import { SqliteStorage } from 'mlcycle/storage/sqlite';
 *
 * const storage = await SqliteStorage.open({ path: './mlcycle.db' });
 * const doc = await storage.put('runs', 'run-1', { mae: 0.012 });
 * await storage.put('runs', 'run-1', { mae: 0.011 }, { expectedRevision: doc.revision });
 * await storage.close();
 * ```
 */
export class SqliteStorage extends AbstractStorage {
  private readonly statements: Statements;
  private readonly queries = new Map<string, Statement<[Record<string, unknown>], RawDocument>>();
  /** Every write, each one `BEGIN IMMEDIATE` transaction. */
  private readonly writes: {
    commit: (batch: WriteBatch) => WriteResult[];
    storeBlob: (info: BlobInfo, data: Uint8Array) => void;
    removeBlob: (key: string) => boolean;
  };

  private constructor(
    private readonly db: Database,
    private readonly path: string,
    private readonly busyTimeoutMs: number,
    options: StorageOptions,
  ) {
    super(options);
    const s = prepareStatements(db);
    this.statements = s;
    const revisions = new StoredRevisions(s.revision);
    const commit = db.transaction((batch: WriteBatch): WriteResult[] => {
      revisions.verify(batch);
      return batch.ops.map((op): WriteResult => {
        if (op.type === 'put')
          return { revision: s.upsert.get(op.collection, op.id, batch.timestamp, op.json)! };
        if (op.type === 'delete') return { deleted: s.remove.run(op.collection, op.id).changes > 0 };
        return { offset: s.append.get({ log: op.log, timestamp: batch.timestamp, json: op.json })! };
      });
    });
    const storeBlob = db.transaction((info: BlobInfo, data: Uint8Array): void => {
      s.storeBlob.run(info.key, data, info.sha256, info.size, info.createdAt);
    });
    const removeBlob = db.transaction((key: string): boolean => s.removeBlob.run(key).changes > 0);
    this.writes = {
      commit: (batch) => commit.immediate(batch),
      storeBlob: (info, data) => storeBlob.immediate(info, data),
      removeBlob: (key) => removeBlob.immediate(key),
    };
  }

  /**
   * Opens (creating if needed) the SQLite database at `options.path`. Several processes may open the same file.
   * Fails with `INVALID_ARGUMENT` for bad options, `UNSUPPORTED` when better-sqlite3 is not installed or the file
   * was written by a newer mlcycle, and `STORAGE` when the file cannot be opened.
   */
  static async open(options: SqliteStorageOptions): Promise<SqliteStorage> {
    const parsed = parseOptions(optionsSchema, options, 'SqliteStorage options');
    const busyTimeoutMs = parsed.busyTimeoutMs ?? 5000;
    const Database = await loadDriver();
    let db: Database;
    try {
      db = new Database(parsed.path, { timeout: busyTimeoutMs });
    } catch (error) {
      throw new MlcycleError(
        'STORAGE',
        `Cannot open SQLite database ${JSON.stringify(parsed.path)}: ${(error as Error).message}`,
        { cause: error, details: { path: parsed.path } },
      );
    }
    try {
      prepareDatabase(db, parsed.path, busyTimeoutMs, parsed.synchronous ?? 'full');
      return new SqliteStorage(db, parsed.path, busyTimeoutMs, parsed.clock ? { clock: parsed.clock } : {});
    } catch (error) {
      db.close();
      throw storageError(error, 'opening the database', parsed.path, busyTimeoutMs);
    }
  }

  private run<T>(doing: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw storageError(error, doing, this.path, this.busyTimeoutMs);
    }
  }

  protected async loadDocument(collection: string, id: string): Promise<RawDocument | undefined> {
    assertStorableId(id);
    const row = this.run('reading a document', () => this.statements.document.get(collection, id));
    return row === undefined ? undefined : { id, revision: row[0], updatedAt: row[1], json: row[2] };
  }

  protected async loadDocuments(collection: string, options: ListOptions): Promise<LoadedDocuments> {
    if (options.idPrefix !== undefined && UNPAIRED_SURROGATE.test(options.idPrefix)) {
      // String prefixes compare UTF-16 code units, which SQLite's UTF-8 text cannot express: filter in memory.
      const documents = this.run('listing documents', () => this.statements.collection.all(collection));
      return { documents, applied: false };
    }
    const { sql, params } = listQuery(options);
    let statement = this.queries.get(sql);
    if (statement === undefined) {
      if (this.queries.size >= MAX_CACHED_QUERIES) this.queries.clear();
      statement = this.run('listing documents', () =>
        this.db.prepare<[Record<string, unknown>], RawDocument>(sql),
      );
      this.queries.set(sql, statement);
    }
    const prepared = statement;
    const documents = this.run('listing documents', () => prepared.all({ collection, ...params }));
    return { documents, applied: true };
  }

  protected async commit(batch: WriteBatch): Promise<WriteResult[]> {
    for (const op of batch.ops) if (op.type !== 'append') assertStorableId(op.id);
    return this.run('committing a write', () => this.writes.commit(batch));
  }

  protected async loadLog(
    log: string,
    fromOffset: number,
    limit: number | undefined,
  ): Promise<RawLogEntry[]> {
    return this.run('reading a log', () => this.statements.log.all(log, fromOffset, limit ?? -1));
  }

  protected async countLog(log: string): Promise<number> {
    return this.run('reading a log', () => this.statements.logLength.get(log) ?? 0);
  }

  protected async storeBlob(info: BlobInfo, data: Uint8Array): Promise<void> {
    this.run('writing a blob', () => this.writes.storeBlob(info, data));
  }

  protected async loadBlob(key: string): Promise<LoadedBlob | undefined> {
    const row = this.run('reading a blob', () => this.statements.blob.get(key));
    if (row === undefined) return undefined;
    const { data, ...info } = row;
    return { info, data: new Uint8Array(data) };
  }

  protected async loadBlobInfo(key: string): Promise<BlobInfo | undefined> {
    return this.run('reading a blob', () => this.statements.blobInfo.get(key));
  }

  protected async removeBlob(key: string): Promise<boolean> {
    return this.run('deleting a blob', () => this.writes.removeBlob(key));
  }

  protected async shutdown(): Promise<void> {
    this.queries.clear();
    this.run('closing the database', () => this.db.close());
  }
}

/**
 * The shared batch check ({@link StoreState.verify}) reading revisions from the database; it runs inside the
 * commit's write transaction, so what it checks is what the writes then change. It holds no documents itself.
 */
class StoredRevisions extends StoreState {
  constructor(private readonly statement: Statement<[string, string], number>) {
    super();
  }

  override revisionOf(collection: string, id: string): number {
    return this.statement.get(collection, id) ?? 0;
  }
}

function assertStorableId(id: string): void {
  if (UNPAIRED_SURROGATE.test(id)) {
    throw new MlcycleError(
      'INVALID_ARGUMENT',
      `Invalid document id ${JSON.stringify(id.slice(0, 40))}: SqliteStorage stores ids as UTF-8 text, which cannot hold an unpaired surrogate`,
    );
  }
}

/** Wraps a driver error as `STORAGE` (a lock held past the busy timeout gets its own message); keeps ours as is. */
function storageError(error: unknown, doing: string, path: string, busyTimeoutMs: number): unknown {
  if (MlcycleError.is(error)) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const details = { path, sqliteCode: code };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new MlcycleError(
      'STORAGE',
      `SQLite database ${JSON.stringify(path)} stayed locked by another connection for more than busyTimeoutMs (${busyTimeoutMs} ms) while ${doing}; retry, or raise busyTimeoutMs`,
      { cause: error, details },
    );
  }
  return new MlcycleError(
    'STORAGE',
    `SQLite failed while ${doing} in ${JSON.stringify(path)}: ${(error as Error).message}`,
    { cause: error, details },
  );
}
