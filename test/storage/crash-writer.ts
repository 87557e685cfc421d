/**
 * The writer half of the crash test, run as a child process until it is killed:
 *
 *   node --import tsx test/storage/crash-writer.ts <openerModule> <dir>
 *
 * It opens the store through `openerModule` (a module exporting `open(dir): Promise<Storage>`), then keeps several
 * writes in flight at once. After each write's promise resolves, it prints one JSON line describing what must now
 * survive any crash (see {@link Ack}). The seed for its choices comes from `MLCYCLE_CRASH_SEED`.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { MlcycleError, Random, type Storage } from '../../src/index.js';

/** One acknowledged write (or, for `deleting-blob`, one about to start), as printed on stdout. */
export type Ack =
  | { t: 'ready' }
  | { t: 'counter'; n: number }
  | { t: 'doc'; id: string; sha256: string; length: number }
  | { t: 'append'; offset: number; value: { tag: string; seq: number } }
  | { t: 'blob'; key: string; sha256: string; size: number }
  | { t: 'deleting-blob'; key: string }
  | { t: 'blob-deleted'; key: string }
  | { t: 'transfer'; b: number }
  | { t: 'compacted' };

/** What the two accounts hold together; every transfer keeps the sum, recorded in `accounts/total`. */
const TOTAL = 1_000_000;
/** How many write loops run at once. */
const WORKERS = 6;

const [openerModule, dir] = process.argv.slice(2);
if (openerModule === undefined || dir === undefined) {
  process.stderr.write('usage: crash-writer.ts <openerModule> <dir>\n');
  process.exit(2);
}

const ack = (line: Ack): void => {
  // Writes to a pipe are synchronous on Linux, so the line is in the pipe before the next write starts.
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

async function retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!MlcycleError.is(error, 'CONFLICT')) throw error;
    }
  }
}

async function setUp(storage: Storage): Promise<void> {
  await retryOnConflict(() =>
    storage.transaction(async (tx) => {
      if ((await tx.get('accounts', 'a')) !== undefined) return;
      await tx.put('accounts', 'a', { n: TOTAL });
      await tx.put('accounts', 'b', { n: 0 });
      await tx.put('accounts', 'total', { n: TOTAL });
      await tx.put('counters', 'c', { n: 0 });
    }),
  );
}

async function worker(storage: Storage, rng: Random, tag: string, compacts: boolean): Promise<never> {
  const blobs: string[] = [];
  for (let seq = 0; ; seq++) {
    const roll = rng.float();
    if (roll < 0.3) {
      const n = await retryOnConflict(async () => {
        const current = await storage.get<{ n: number }>('counters', 'c');
        const next = (current?.value.n ?? 0) + 1;
        await storage.put('counters', 'c', { n: next }, { expectedRevision: current?.revision ?? 0 });
        return next;
      });
      ack({ t: 'counter', n });
    } else if (roll < 0.52) {
      const id = `${tag}-${seq}`;
      const text = 'é✓'.repeat(rng.int(0, 200));
      const json = JSON.stringify({ tag, seq, text });
      await storage.put('docs', id, JSON.parse(json));
      ack({ t: 'doc', id, sha256: createHash('sha256').update(json).digest('hex'), length: json.length });
    } else if (roll < 0.76) {
      const value = { tag, seq };
      const entry = await storage.append('events', value);
      ack({ t: 'append', offset: entry.offset, value });
    } else if (roll < 0.84) {
      const key = `blobs/${tag}-${seq}`;
      const data = new Uint8Array(rng.int(0, 30_000));
      for (let i = 0; i < data.length; i++) data[i] = rng.uint32() & 0xff;
      const info = await storage.putBlob(key, data);
      const sha256 = createHash('sha256').update(data).digest('hex');
      if (info.sha256 !== sha256)
        throw new Error(`putBlob reported sha256 ${info.sha256}, expected ${sha256}`);
      blobs.push(key);
      ack({ t: 'blob', key, sha256, size: data.length });
    } else if (roll < 0.88 && blobs.length > 0) {
      const [key] = blobs.splice(rng.int(0, blobs.length - 1), 1) as [string];
      // Not an acknowledgement: from here on the blob may be gone, if the delete lands but its ack does not.
      ack({ t: 'deleting-blob', key });
      if (!(await storage.deleteBlob(key))) throw new Error(`deleteBlob(${key}) found nothing`);
      ack({ t: 'blob-deleted', key });
    } else if (roll < 0.995 || !compacts) {
      const b = await retryOnConflict(() =>
        storage.transaction(async (tx) => {
          const from = await tx.get<{ n: number }>('accounts', 'a');
          const to = await tx.get<{ n: number }>('accounts', 'b');
          if (from === undefined || to === undefined) throw new Error('accounts are missing');
          await tx.put('accounts', 'a', { n: from.value.n - 1 });
          await tx.put('accounts', 'b', { n: to.value.n + 1 });
          await tx.append('transfers', { b: to.value.n + 1 });
          return to.value.n + 1;
        }),
      );
      ack({ t: 'transfer', b });
    } else {
      const compactable = storage as Storage & { compact?: () => Promise<void> };
      if (typeof compactable.compact === 'function') {
        await compactable.compact();
        ack({ t: 'compacted' });
      }
    }
  }
}

const { open } = (await import(pathToFileURL(openerModule).href)) as {
  open: (dir: string) => Promise<Storage>;
};
const rng = new Random(Number(process.env.MLCYCLE_CRASH_SEED ?? 0));
const storage = await open(dir);
await setUp(storage);
ack({ t: 'ready' });
const tag = `p${process.pid}`;
await Promise.all(
  Array.from({ length: WORKERS }, (_, i) => worker(storage, rng.fork(i), `${tag}w${i}`, i === 0)),
).catch((error: unknown) => {
  process.stderr.write(`crash-writer failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
