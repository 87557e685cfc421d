/**
 * Storage throughput: writes and reads of 100,000 small documents through MemoryStorage, JournalStorage and
 * SqliteStorage, beside a plain better-sqlite3 table (the reference) measured in the same run with the same
 * pragmas. Writes are measured two ways, for every store alike: each write individually acknowledged (durable
 * before it resolves) with a fixed number in flight, and writes batched 1,000 per transaction.
 *
 * Run: `npm run bench` (or `tsx bench/storage.ts [--quick]`). Prints a table; leaves no files behind.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, cpus, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Random } from '../src/core/random.js';
import type { Storage } from '../src/storage/index.js';
import { JournalStorage } from '../src/storage/journal.js';
import { MemoryStorage } from '../src/storage/memory.js';
import { SqliteStorage } from '../src/storage/sqlite/index.js';
import { median } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const DOCUMENTS = 100_000;
const RUNS = quick ? 2 : 5;
const IN_FLIGHT = 64;
const BATCH = 1_000;
/** The longest one run of individually acknowledged writes may take before the count is reduced. */
const BUDGET_SECONDS = 120;
const BUSY_TIMEOUT_MS = 5_000;

interface Doc {
  i: number;
  name: string;
  score: number;
}

/** What a benchmark needs from a store: one acknowledged write, one batch of writes, one read. */
interface Target {
  put(id: string, doc: Doc): Promise<unknown>;
  putBatch(entries: readonly [string, Doc][]): Promise<unknown>;
  get(id: string): Promise<unknown>;
  close(): Promise<void>;
}

interface Subject {
  name: string;
  reference?: boolean;
  note?: string;
  open(dir: string): Promise<Target>;
}

function storageTarget(storage: Storage): Target {
  return {
    put: (id, doc) => storage.put('docs', id, doc),
    putBatch: (entries) =>
      storage.transaction(async (tx) => {
        for (const [id, doc] of entries) await tx.put('docs', id, doc);
      }),
    get: (id) => storage.get('docs', id),
    close: () => storage.close(),
  };
}

/** The reference: one table of JSON text keyed by id, with SqliteStorage's pragmas. */
function referenceTarget(path: string): Target {
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = full');
  db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)');
  const insert = db.prepare<[string, string]>('INSERT OR REPLACE INTO docs (id, value) VALUES (?, ?)');
  const select = db.prepare<[string], string>('SELECT value FROM docs WHERE id = ?').pluck();
  const insertMany = db.transaction((entries: readonly [string, Doc][]) => {
    for (const [id, doc] of entries) insert.run(id, JSON.stringify(doc));
  });
  return {
    put: async (id, doc) => insert.run(id, JSON.stringify(doc)),
    putBatch: async (entries) => insertMany.immediate(entries),
    get: async (id) => {
      const json = select.get(id);
      return json === undefined ? undefined : JSON.parse(json);
    },
    close: async () => {
      db.close();
    },
  };
}

const subjects: Subject[] = [
  {
    name: 'better-sqlite3 table',
    reference: true,
    open: async (dir) => referenceTarget(join(dir, 'ref.db')),
  },
  {
    name: 'SqliteStorage',
    open: async (dir) => storageTarget(await SqliteStorage.open({ path: join(dir, 'store.db') })),
  },
  { name: 'JournalStorage', open: async (dir) => storageTarget(await JournalStorage.open({ dir })) },
  { name: 'MemoryStorage', note: 'not durable', open: async () => storageTarget(new MemoryStorage()) },
];

const root = mkdtempSync(join(tmpdir(), 'mlcycle-bench-storage-'));
const removeRoot = (): void => rmSync(root, { recursive: true, force: true });
process.once('exit', removeRoot);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeRoot();
    process.exit(130);
  });
}
let dirCount = 0;
const freshDir = (): string => mkdtempSync(join(root, `${dirCount++}-`));

/** Runs `op(0..n-1)` with at most `limit` calls in flight and returns ops per second. */
async function throughput(n: number, limit: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) await op(next++);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(limit, n) }, lane));
  return n / ((performance.now() - start) / 1000);
}

const idOf = (i: number): string => `doc-${String(i).padStart(6, '0')}`;
const random = new Random(42);
const docs: Doc[] = Array.from({ length: DOCUMENTS }, (_, i) => ({
  i,
  name: `model-${i % 997}`,
  score: Math.round(random.float() * 1e6) / 1e6,
}));
const readOrder = random.shuffle(Array.from({ length: DOCUMENTS }, (_, i) => i));

/** Median time of one small fdatasync'd append, and of one durable SQLite commit, in milliseconds. */
function measureSyncCost(): { fdatasyncMs: number; commitMs: number } {
  const dir = freshDir();
  const fd = openSync(join(dir, 'probe'), 'w');
  const line = Buffer.from(`${JSON.stringify(docs[0])}\n`);
  const syncTimes: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = performance.now();
    writeSync(fd, line);
    fdatasyncSync(fd);
    syncTimes.push(performance.now() - start);
  }
  closeSync(fd);
  const db = new Database(join(dir, 'probe.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = full');
  db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)');
  const insert = db.prepare('INSERT OR REPLACE INTO docs (id, value) VALUES (?, ?)');
  const commitTimes: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = performance.now();
    insert.run(idOf(i), JSON.stringify(docs[i]));
    commitTimes.push(performance.now() - start);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { fdatasyncMs: median(syncTimes), commitMs: median(commitTimes) };
}

async function measure(subject: Subject, eachCount: number) {
  const eachDir = freshDir();
  const each = await subject.open(eachDir);
  const eachOps = await throughput(eachCount, IN_FLIGHT, (i) => each.put(idOf(i), docs[i]!));
  await each.close();
  rmSync(eachDir, { recursive: true, force: true });

  const batchDir = freshDir();
  const batched = await subject.open(batchDir);
  const batchOps =
    BATCH *
    (await throughput(DOCUMENTS / BATCH, 1, (b) =>
      batched.putBatch(
        Array.from({ length: BATCH }, (_, k): [string, Doc] => [idOf(b * BATCH + k), docs[b * BATCH + k]!]),
      ),
    ));
  const readOps = await throughput(DOCUMENTS, IN_FLIGHT, async (k) => {
    if ((await batched.get(idOf(readOrder[k]!))) === undefined)
      throw new Error(`${subject.name} lost a document`);
  });
  await batched.close();
  rmSync(batchDir, { recursive: true, force: true });
  return { eachOps, batchOps, readOps };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const pad = (s: string, width: number, right = false): string =>
  right ? s.padStart(width) : s.padEnd(width);

async function main(): Promise<void> {
  const probe = new Database(':memory:');
  const sqliteVersion = probe.prepare('SELECT sqlite_version()').pluck().get() as string;
  probe.close();
  const driverVersion = (createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string })
    .version;
  const cpuList = cpus();
  const { fdatasyncMs, commitMs } = measureSyncCost();
  const fullSeconds = (DOCUMENTS * commitMs) / 1000;
  const eachCount =
    fullSeconds <= BUDGET_SECONDS
      ? DOCUMENTS
      : Math.max(1_000, Math.floor(BUDGET_SECONDS / (commitMs / 1000) / 1_000) * 1_000);

  console.log('Storage benchmark');
  console.log(
    `  node ${process.version} · SQLite ${sqliteVersion} (better-sqlite3 ${driverVersion}) · ` +
      `${cpuList.length} × ${cpuList[0]?.model.trim() ?? 'unknown CPU'} · ${platform()} ${arch()} · temp dir ${tmpdir()}`,
  );
  console.log(
    `  sync cost: fdatasync of a small append ${fdatasyncMs.toFixed(3)} ms; durable SQLite commit (WAL, synchronous=FULL) ${commitMs.toFixed(3)} ms (medians of 300)`,
  );
  console.log(
    `  ${fmt(DOCUMENTS)} individually acknowledged writes would take ~${fullSeconds.toFixed(0)} s per run at that cost` +
      (eachCount === DOCUMENTS
        ? `, within the ${BUDGET_SECONDS} s budget: measured at full size`
        : `, over the ${BUDGET_SECONDS} s budget: MEASURED ON ${fmt(eachCount)} WRITES PER RUN, NOT ${fmt(DOCUMENTS)}`),
  );
  console.log(
    `  documents { i, name, score }, ${fmt(DOCUMENTS)} per run (individually acknowledged: ${fmt(eachCount)}); ` +
      `median ops/s of ${RUNS} runs${quick ? ' (--quick)' : ''}; ratio = store / reference`,
  );
  console.log('');

  const results = new Map<Subject, { eachOps: number[]; batchOps: number[]; readOps: number[] }>();
  for (const s of subjects) results.set(s, { eachOps: [], batchOps: [], readOps: [] });
  for (let run = 0; run < RUNS; run++) {
    for (const subject of subjects) {
      const r = await measure(subject, eachCount);
      const acc = results.get(subject)!;
      acc.eachOps.push(r.eachOps);
      acc.batchOps.push(r.batchOps);
      acc.readOps.push(r.readOps);
      process.stderr.write(
        `  run ${run + 1}/${RUNS} ${subject.name}: ${fmt(r.eachOps)} / ${fmt(r.batchOps)} / ${fmt(r.readOps)} ops/s\n`,
      );
    }
  }

  const reference = subjects.find((s) => s.reference)!;
  const ref = results.get(reference)!;
  const headers = [
    'store',
    `write, each acknowledged (${IN_FLIGHT} in flight)`,
    `write, ${fmt(BATCH)} per transaction`,
    `read by id (${IN_FLIGHT} in flight)`,
  ];
  const rows = subjects.map((subject) => {
    const r = results.get(subject)!;
    const cell = (mine: number[], theirs: number[]): string => {
      const m = median(mine);
      return subject.reference ? `${fmt(m)}        ` : `${fmt(m)} (${(m / median(theirs)).toFixed(2)}×)`;
    };
    const label = subject.reference
      ? `${subject.name} (reference)`
      : `${subject.name}${subject.note ? ` (${subject.note})` : ''}`;
    return [
      label,
      cell(r.eachOps, ref.eachOps),
      cell(r.batchOps, ref.batchOps),
      cell(r.readOps, ref.readOps),
    ];
  });
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => pad(cell, widths[c]!, c > 0)).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w, c) => (c > 0 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log('');
  console.log(
    '  each acknowledged: every put resolves only once durable (MemoryStorage: once applied); SqliteStorage and the',
  );
  console.log(
    '  reference commit one transaction per write; JournalStorage groups the puts in flight into one write and fsync.',
  );
  console.log(
    '  batched: one storage.transaction() (reference: one BEGIN IMMEDIATE … COMMIT) per 1,000 puts.',
  );
}

await main();
