/**
 * `SqliteStorage`: the `Storage` adapter for several processes on one machine, keeping everything in one
 * SQLite file through the optional peer dependency `better-sqlite3` (`npm install better-sqlite3`). It has its own
 * entry point so that importing `mlcycle` never loads the native driver.
 *
 * @example
 * ```ts
 * import { SqliteStorage } from 'mlcycle/storage/sqlite';
 *
 * const storage = await SqliteStorage.open({ path: './mlcycle.db', busyTimeoutMs: 10_000 });
 * await storage.append('audit', { event: 'started' });
 * await storage.close();
 * ```
 *
 * @module storage/sqlite
 */
export { SqliteStorage, type SqliteStorageOptions } from './sqlite.js';
