import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteStorage } from '../../src/storage/sqlite/index.js';

const WORKERS = 4;
const INCREMENTS = 250;
const worker = join(dirname(fileURLToPath(import.meta.url)), 'sqlite-counter-worker.ts');

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

/** Collects a child's output and resolves when it prints `ready`; `done` resolves with its exit code. */
function start(path: string): {
  child: Child;
  ready: Promise<void>;
  done: Promise<number | null>;
  output: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, path, String(INCREMENTS)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.startsWith('ready\n')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`worker exited with ${code} before it was ready: ${stderr}`)),
    );
  });
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ready, done, output: () => `${stdout}${stderr}` };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlcycle-sqlite-procs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it(`loses no update when ${WORKERS} processes increment one document ${INCREMENTS} times each`, async () => {
  const path = join(dir, 'shared.db');
  const setup = await SqliteStorage.open({ path });
  await setup.put('counters', 'shared', { n: 0 });
  await setup.close();

  const workers = Array.from({ length: WORKERS }, () => start(path));
  try {
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin.end('go\n');
    const codes = await Promise.all(workers.map((w) => w.done));
    expect(codes, workers.map((w) => w.output()).join('\n')).toEqual(Array(WORKERS).fill(0));
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill();
  }

  const reports = workers.map(
    (w) => JSON.parse(w.output().trim().split('\n').at(-1)!) as { conflicts: number },
  );
  const conflicts = reports.map((r) => r.conflicts);
  const total = WORKERS * INCREMENTS;
  console.info(
    `${WORKERS} processes × ${INCREMENTS} increments: ${conflicts.reduce((a, b) => a + b, 0)} conflicts retried (${conflicts.join(', ')})`,
  );
  expect(conflicts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

  const storage = await SqliteStorage.open({ path });
  try {
    expect(await storage.get('counters', 'shared')).toMatchObject({
      revision: total + 1,
      value: { n: total },
    });
    const entries = await storage.read<{ pid: number; i: number }>('increments');
    expect(entries.map((e) => e.offset)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(new Set(entries.map((e) => `${e.value.pid}/${e.value.i}`)).size).toBe(total);
    expect(await storage.logLength('increments')).toBe(total);
  } finally {
    await storage.close();
  }
}, 60_000);
