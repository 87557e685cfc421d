import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import { Random, type Storage } from '../../src/index.js';
import type { Ack } from './crash-writer.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));

/** Options for {@link runCrashTest}. */
export interface CrashTestOptions {
  /** The adapter's name, for the test title. */
  name: string;
  /** Absolute path of a module exporting `open(dir: string): Promise<Storage>`, used by the child and the parent. */
  openerModule: string;
  /** How many times the writer is killed with SIGKILL. */
  kills: number;
  /** Seeds the kill delays and the writer's choices. @defaultValue 1 */
  seed?: number;
  /** The share of rounds that must acknowledge at least one write, so the test cannot pass vacuously. @defaultValue 0.6 */
  minAckedShare?: number;
  /** @defaultValue 120_000 */
  timeoutMs?: number;
}

/** Everything acknowledged so far, over all rounds: what the store must still hold. */
interface Expected {
  counter: number;
  transfers: number;
  /** The SHA-256 of each document's JSON text. */
  docs: Map<string, string>;
  events: Map<number, unknown>;
  blobs: Map<string, { sha256: string; size: number }>;
  /** Blobs whose delete started but was not acknowledged: either gone, or still intact. */
  deletingBlobs: Map<string, { sha256: string; size: number }>;
  deletedBlobs: Set<string>;
}

interface Round {
  acks: Ack[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the writer on `dir` and kills it `delayMs` after it is ready (or after it is spawned). */
async function runWriter(
  openerModule: string,
  dir: string,
  seed: number,
  kill: { afterReady: boolean; delayMs: number },
): Promise<Round> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, openerModule, dir], {
    cwd: ROOT,
    env: { ...process.env, MLCYCLE_CRASH_SEED: String(seed) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killNow = (): void => {
    child.kill('SIGKILL');
  };
  let timer = kill.afterReady ? undefined : setTimeout(killNow, kill.delayMs);
  const safety = setTimeout(killNow, 20_000);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    if (timer === undefined && stdout.includes('{"t":"ready"}')) timer = setTimeout(killNow, kill.delayMs);
  });
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.on('close', (c, s) => resolve([c, s]));
  });
  clearTimeout(timer);
  clearTimeout(safety);
  // A line the kill cut short was never fully acknowledged; only whole lines count.
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
  const acks = complete
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Ack);
  return { acks, code, signal, stderr };
}

function record(expected: Expected, acks: readonly Ack[]): void {
  for (const a of acks) {
    if (a.t === 'counter') expected.counter = Math.max(expected.counter, a.n);
    else if (a.t === 'transfer') expected.transfers = Math.max(expected.transfers, a.b);
    else if (a.t === 'doc') expected.docs.set(a.id, a.sha256);
    else if (a.t === 'append') expected.events.set(a.offset, a.value);
    else if (a.t === 'blob') expected.blobs.set(a.key, { sha256: a.sha256, size: a.size });
    else if (a.t === 'deleting-blob') {
      const blob = expected.blobs.get(a.key);
      if (blob !== undefined) expected.deletingBlobs.set(a.key, blob);
      expected.blobs.delete(a.key);
    } else if (a.t === 'blob-deleted') {
      expected.deletingBlobs.delete(a.key);
      expected.deletedBlobs.add(a.key);
    }
  }
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Every way `storage` fails to hold what was acknowledged, as readable lines (empty when all is well). */
async function findLosses(storage: Storage, expected: Expected): Promise<string[]> {
  const problems: string[] = [];
  const counter = await storage.get<{ n: number }>('counters', 'c');
  if (counter === undefined) {
    if (expected.counter > 0) problems.push(`counter is missing, acknowledged ${expected.counter}`);
  } else {
    if (counter.value.n < expected.counter)
      problems.push(`counter is ${counter.value.n}, acknowledged ${expected.counter}`);
    if (counter.value.n !== counter.revision - 1)
      problems.push(`counter ${counter.value.n} at revision ${counter.revision}: an increment was lost`);
  }

  const docs = new Map((await storage.list('docs')).map((d) => [d.id, sha256(JSON.stringify(d.value))]));
  for (const [id, want] of expected.docs) {
    if (docs.get(id) !== want) problems.push(`docs/${id} hashes to ${docs.get(id)}, acknowledged ${want}`);
  }

  const events = await storage.read('events');
  if (events.some((e, i) => e.offset !== i)) problems.push('event offsets are not consecutive from 0');
  for (const [offset, value] of expected.events) {
    if (!isDeepStrictEqual(events[offset]?.value, value))
      problems.push(
        `events[${offset}] is ${JSON.stringify(events[offset]?.value)}, acknowledged ${JSON.stringify(value)}`,
      );
  }

  for (const [key, want] of [...expected.blobs, ...expected.deletingBlobs]) {
    const info = await storage.statBlob(key);
    if (info === undefined && expected.deletingBlobs.has(key)) continue;
    const data = await storage.getBlob(key).catch((error: unknown) => String(error));
    const read = data instanceof Uint8Array ? sha256(data) : data;
    if (info?.sha256 !== want.sha256 || info.size !== want.size || read !== want.sha256)
      problems.push(
        `blob ${key}: recorded ${JSON.stringify(info)}, read ${read}, acknowledged ${want.sha256}`,
      );
  }
  for (const key of expected.deletedBlobs) {
    if ((await storage.statBlob(key)) !== undefined) problems.push(`blob ${key} came back after its delete`);
  }

  const [a, b, total] = await Promise.all(
    ['a', 'b', 'total'].map((id) => storage.get<{ n: number }>('accounts', id)),
  );
  const transfers = await storage.logLength('transfers');
  if (total === undefined || a === undefined || b === undefined) {
    if (expected.transfers > 0 || transfers > 0) problems.push('accounts are missing');
  } else {
    if (a.value.n + b.value.n !== total.value.n)
      problems.push(`accounts hold ${a.value.n} + ${b.value.n}, not ${total.value.n}: a transfer was torn`);
    if (b.value.n !== transfers)
      problems.push(`account b is ${b.value.n} but ${transfers} transfers are logged`);
    if (b.value.n < expected.transfers)
      problems.push(`account b is ${b.value.n}, acknowledged ${expected.transfers}`);
  }
  return problems;
}

/**
 * Registers a test that kills a writer process with SIGKILL `kills` times at random moments, and after each kill
 * opens the store in this process and checks that every write the writer had acknowledged is there, intact. The
 * store behind `openerModule` is the only thing adapter-specific, so any durable adapter can be plugged in.
 */
export function runCrashTest(options: CrashTestOptions): void {
  const { name, openerModule, kills, seed = 1, minAckedShare = 0.6, timeoutMs = 120_000 } = options;
  it(
    `${name} keeps every acknowledged write across ${kills} SIGKILLs`,
    async ({ annotate }) => {
      const { open } = (await import(pathToFileURL(openerModule).href)) as {
        open: (dir: string) => Promise<Storage>;
      };
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlcycle-crash-'));
      const rng = new Random(seed);
      const expected: Expected = {
        counter: 0,
        transfers: 0,
        docs: new Map(),
        events: new Map(),
        blobs: new Map(),
        deletingBlobs: new Map(),
        deletedBlobs: new Set(),
      };
      let ackedRounds = 0;
      let silentRounds = 0;
      let droppedTails = 0;
      let compactions = 0;
      for (let round = 1; round <= kills; round++) {
        const afterReady = rng.float() < 0.8;
        const delayMs = afterReady ? rng.int(10, 400) : rng.int(0, 900);
        const result = await runWriter(openerModule, dir, rng.int(0, 2 ** 31), { afterReady, delayMs });
        const context = `round ${round} (dir ${dir}, killed ${delayMs} ms after ${afterReady ? 'ready' : 'spawn'})`;
        if (result.signal !== 'SIGKILL') {
          throw new Error(
            `The writer exited by itself in ${context}, code ${result.code}:\n${result.stderr}`,
          );
        }
        const writes = result.acks.filter((a) => a.t !== 'ready');
        if (writes.length > 0) ackedRounds += 1;
        else silentRounds += 1;
        record(expected, writes);
        compactions += writes.filter((a) => a.t === 'compacted').length;

        const storage = await open(dir);
        try {
          const recovery = (storage as { recovery?: { droppedTail?: unknown } }).recovery;
          if (recovery?.droppedTail != null) droppedTails += 1;
          expect(await findLosses(storage, expected), context).toEqual([]);
        } finally {
          await storage.close();
        }
      }
      const summary =
        `${name}: ${kills} kills: ${ackedRounds} rounds acknowledged writes, ${silentRounds} died first; ` +
        `${compactions} compactions, ${droppedTails} torn tails dropped; counter ${expected.counter}, ${expected.docs.size} docs, ` +
        `${expected.events.size} events, ${expected.blobs.size} blobs, ${expected.transfers} transfers`;
      console.info(summary);
      await annotate(summary);
      expect(ackedRounds).toBeGreaterThanOrEqual(Math.ceil(kills * minAckedShare));
      await fs.rm(dir, { recursive: true, force: true });
    },
    timeoutMs,
  );
}
