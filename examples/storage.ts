/**
 * The Storage interface in five minutes: documents with optimistic concurrency, listing, logs, blobs and
 * transactions — the same code against the in-memory store, the durable journal and SQLite.
 *
 *   npx tsx examples/storage.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalStorage, MemoryStorage, MlcycleError, type Storage } from '../src/index.js';
import { SqliteStorage } from '../src/storage/sqlite/index.js'; // in your code: 'mlcycle/storage/sqlite'

interface Trial {
  study: string;
  params: { alpha: number };
  value: number | null;
  state: 'running' | 'complete';
}

async function tour(storage: Storage, label: string): Promise<void> {
  console.log(`\n— ${label}`);

  // Documents: every write bumps the revision; a stale expectedRevision is refused.
  const created = await storage.put<Trial>('trials', 'study-1/0', {
    study: 'study-1',
    params: { alpha: 0.1 },
    value: null,
    state: 'running',
  });
  const finished = await storage.put<Trial>(
    'trials',
    'study-1/0',
    { ...created.value, value: 0.42, state: 'complete' },
    { expectedRevision: created.revision },
  );
  try {
    await storage.put('trials', 'study-1/0', { ...created.value }, { expectedRevision: created.revision });
  } catch (error) {
    if (!MlcycleError.is(error, 'CONFLICT')) throw error;
    console.log(`stale write refused: ${error.message}`);
  }
  console.log(`trial study-1/0 is at revision ${finished.revision}`);

  // Listing: equality filters on dotted paths, ordering, paging.
  for (let i = 1; i <= 5; i++) {
    await storage.put<Trial>('trials', `study-1/${i}`, {
      study: 'study-1',
      params: { alpha: 10 ** -i },
      value: 1 / (i + 1),
      state: 'complete',
    });
  }
  const best = await storage.list<Trial>('trials', {
    where: { state: 'complete' },
    idPrefix: 'study-1/',
    orderBy: 'value',
    limit: 3,
  });
  console.log('three best trials:', best.map((d) => `${d.id}=${d.value.value?.toFixed(3)}`).join(', '));

  // Logs: append-only, offsets from 0.
  await storage.append('audit', { action: 'study-started', study: 'study-1' });
  const entry = await storage.append('audit', { action: 'best-updated', value: best[0]?.value.value });
  console.log(`audit log has ${await storage.logLength('audit')} entries; last at offset ${entry.offset}`);

  // Blobs: bytes with a SHA-256 checked on every read.
  const info = await storage.putBlob(
    'models/ridge/1.json',
    new TextEncoder().encode('{"coefficients":[0.1,0.2]}'),
  );
  console.log(`blob ${info.key}: ${info.size} bytes, sha256 ${info.sha256.slice(0, 16)}…`);

  // Transactions: all or nothing.
  await storage.transaction(async (tx) => {
    await tx.put('studies', 'study-1', { bestTrial: best[0]?.id, state: 'done' });
    await tx.append('audit', { action: 'study-finished', study: 'study-1' });
  });
  await storage
    .transaction(async (tx) => {
      await tx.put('studies', 'study-1', { state: 'corrupted' });
      throw new Error('validation failed');
    })
    .catch(() => undefined);
  console.log('study after a failed transaction:', (await storage.get('studies', 'study-1'))?.value);
}

const memory = new MemoryStorage();
await tour(memory, 'MemoryStorage');
await memory.close();

const dir = await mkdtemp(join(tmpdir(), 'mlcycle-example-'));
try {
  const journal = await JournalStorage.open({ dir });
  await tour(journal, `JournalStorage in ${dir}`);
  await journal.close();
  const reopened = await JournalStorage.open({ dir, readOnly: true });
  console.log(`after reopening: ${(await reopened.list('trials')).length} trials are still there`);
  await reopened.close();

  const sqlite = await SqliteStorage.open({ path: join(dir, 'mlcycle.db') });
  await tour(sqlite, 'SqliteStorage');
  await sqlite.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
