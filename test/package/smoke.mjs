// Imports the built package by its own name (ESM), as a user would. Run after `npm run build`.
import assert from 'node:assert/strict';
import { checkQuality, JournalStorage, MemoryStorage, MlcycleError, Random } from 'mlcycle';
import { SqliteStorage } from 'mlcycle/storage/sqlite';

assert.equal(new MlcycleError('CONFLICT', 'x').code, 'CONFLICT');
assert.equal(typeof new Random(1).float(), 'number');
assert.equal(typeof JournalStorage.open, 'function');
assert.equal(typeof checkQuality, 'function');
const storage = new MemoryStorage();
assert.equal((await storage.put('c', 'a', { ok: true })).revision, 1);
const sqlite = await SqliteStorage.open({ path: ':memory:' });
assert.equal((await sqlite.put('c', 'a', { ok: true })).revision, 1);
await sqlite.close();
// Both entry points share one copy of the core, so errors from the SQLite entry are MlcycleError instances.
await assert.rejects(
  sqlite.get('c', 'a'),
  (error) => error instanceof MlcycleError && error.code === 'STORAGE',
);
console.log('ESM import of mlcycle and mlcycle/storage/sqlite: ok');
