/**
 * A child process for sqlite.concurrency.test.ts: opens the SQLite store at argv[2], prints `ready`, waits for a
 * line on stdin (so that every worker starts together), then makes argv[3] optimistic read-modify-write increments
 * of one shared counter (pausing a millisecond between read and write on every other one), appending one log
 * entry per increment. It prints one JSON line with its counts and exits.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { MlcycleError } from '../../src/core/errors.js';
import { SqliteStorage } from '../../src/storage/sqlite/index.js';

const [path, countText] = process.argv.slice(2);
const count = Number(countText);
if (path === undefined || !Number.isSafeInteger(count) || count < 1) {
  process.stderr.write('usage: sqlite-counter-worker.ts <dbPath> <increments>\n');
  process.exit(2);
}

const storage = await SqliteStorage.open({ path, busyTimeoutMs: 20_000 });
process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.pause();

let conflicts = 0;
for (let i = 0; i < count; i++) {
  for (;;) {
    const current = await storage.get<{ n: number }>('counters', 'shared');
    if (current === undefined) throw new Error('the shared counter does not exist');
    // Stands for the work between reading and writing (a real update computes something), which is where other
    // processes get in.
    if (i % 2 === 0) await sleep(1);
    try {
      await storage.put(
        'counters',
        'shared',
        { n: current.value.n + 1 },
        { expectedRevision: current.revision },
      );
      break;
    } catch (error) {
      if (!MlcycleError.is(error, 'CONFLICT')) throw error;
      conflicts += 1;
    }
  }
  await storage.append('increments', { pid: process.pid, i });
}
await storage.close();
process.stdout.write(`${JSON.stringify({ pid: process.pid, increments: count, conflicts })}\n`);
