import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { MlcycleError } from '../core/errors.js';
import { errorCode } from './journal-file.js';

/** Who holds a journal directory's lock, as written in its lock file. */
export interface LockHolder {
  /** The holder's process id. */
  pid: number;
  /** The host name of the machine the holder runs on. */
  host: string;
  /** When the holder took the lock, as an ISO 8601 timestamp. */
  startedAt: string;
}

const HELD = Symbol.for('mlcycle.journal.heldLocks');

/** The lock file's name inside a journal directory. */
export const LOCK_FILE = 'lock';

// Directories this process holds, so that a second open in the same process is refused even though the pid in the
// lock file is alive (it is ours), while a lock with our pid left by an earlier process (pid 1 in containers) is not.
// Kept on globalThis so that the ESM and CJS builds, if both are loaded, share it.
const registry = globalThis as { [HELD]?: Set<string> };
registry[HELD] ??= new Set<string>();
const heldHere = registry[HELD];

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isSafeInteger(v.pid) && typeof v.host === 'string' && typeof v.startedAt === 'string') {
      return { pid: v.pid as number, host: v.host, startedAt: v.startedAt };
    }
  } catch {
    // fall through: the caller treats an unreadable lock as foreign
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(error) !== 'ESRCH';
  }
}

function lockedError(dir: string, lockPath: string, holder: LockHolder, hint: string): MlcycleError {
  return new MlcycleError(
    'STORAGE',
    `Cannot open ${dir} for writing: process ${holder.pid} on ${holder.host} holds its lock since ${holder.startedAt}. ${hint}`,
    { details: { dir, lockPath, ...holder } },
  );
}

const ownHint = 'Close the store in that process, or pass readOnly: true to read without writing.';

async function readHolder(lockPath: string): Promise<{ text: string; holder: LockHolder | undefined }> {
  const text = await fs.readFile(lockPath, 'utf8');
  return { text, holder: parseHolder(text) };
}

/**
 * Takes the lock of journal directory `dir` (an absolute, resolved path) for this process, or throws `STORAGE`
 * naming the holder. A lock whose holder process is gone (after a crash or SIGKILL) is taken over and returned.
 *
 * The lock file is created complete and atomically by hard-linking a fully written temporary file to it, so a
 * reader never sees a half-written lock. Takeover renames the stale file aside first, so of two processes taking
 * over at once only one removes it.
 */
export async function acquireLock(dir: string): Promise<{ holder: LockHolder; stale: LockHolder | null }> {
  const lockPath = path.join(dir, LOCK_FILE);
  if (heldHere.has(dir)) {
    throw new MlcycleError(
      'STORAGE',
      `Cannot open ${dir} for writing: it is already open for writing in this process. Close that store first, or pass readOnly: true to read without writing.`,
      { details: { dir, lockPath, pid: process.pid } },
    );
  }
  // Reserved before the first await, so two opens racing in this process cannot both get past this point.
  heldHere.add(dir);
  try {
    return await takeLock(dir, lockPath);
  } catch (error) {
    heldHere.delete(dir);
    throw error;
  }
}

async function takeLock(
  dir: string,
  lockPath: string,
): Promise<{ holder: LockHolder; stale: LockHolder | null }> {
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  const unique = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const temp = path.join(dir, `${LOCK_FILE}.${unique}.tmp`);
  // Synced before it is linked, so that after a power cut the lock is either absent or complete, never empty.
  const handle = await fs.open(temp, 'wx');
  try {
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  let stale: LockHolder | null = null;
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await fs.link(temp, lockPath);
        return { holder, stale };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      let current: Awaited<ReturnType<typeof readHolder>>;
      try {
        current = await readHolder(lockPath);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') continue; // released meanwhile: try again
        throw error;
      }
      const found = current.holder;
      if (found === undefined) {
        throw new MlcycleError(
          'STORAGE',
          `Cannot open ${dir} for writing: its lock file ${lockPath} is unreadable. If no process uses the directory, delete that file.`,
          { details: { dir, lockPath } },
        );
      }
      if (found.host !== holder.host) {
        throw lockedError(
          dir,
          lockPath,
          found,
          `Its liveness cannot be checked from ${holder.host}; if it no longer runs, delete ${lockPath}. Otherwise pass readOnly: true to read without writing.`,
        );
      }
      // A lock with our own pid that this process does not hold was left by an earlier process given the same pid.
      if (found.pid !== process.pid && isAlive(found.pid)) throw lockedError(dir, lockPath, found, ownHint);
      // The holder is gone: move its file aside, and make sure it was that file we moved.
      const aside = path.join(dir, `${LOCK_FILE}.${unique}.stale`);
      try {
        await fs.rename(lockPath, aside);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') continue;
        throw error;
      }
      const moved = await fs.readFile(aside, 'utf8');
      if (moved !== current.text) {
        // Someone else took the lock over between our read and our rename: put theirs back.
        await fs.link(aside, lockPath).catch(() => undefined);
        await fs.unlink(aside).catch(() => undefined);
        continue;
      }
      await fs.unlink(aside);
      stale = found;
    }
    throw new MlcycleError(
      'STORAGE',
      `Cannot open ${dir} for writing: its lock kept changing hands while opening; try again.`,
      { details: { dir, lockPath } },
    );
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
}

/** Releases a lock taken by {@link acquireLock}, leaving the file alone if it is no longer ours. */
export async function releaseLock(dir: string, holder: LockHolder): Promise<void> {
  heldHere.delete(dir);
  const lockPath = path.join(dir, LOCK_FILE);
  try {
    const current = parseHolder(await fs.readFile(lockPath, 'utf8'));
    if (current?.pid === holder.pid && current.startedAt === holder.startedAt) await fs.unlink(lockPath);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** Removes temporary files that interrupted lock attempts left behind (only call while holding the lock). */
export async function removeLockLeftovers(dir: string, names: readonly string[]): Promise<number> {
  let removed = 0;
  for (const name of names) {
    if (name.startsWith(`${LOCK_FILE}.`) && (name.endsWith('.tmp') || name.endsWith('.stale'))) {
      const pid = Number(name.split('.')[1]?.split('-')[0]);
      if (pid === process.pid || (Number.isSafeInteger(pid) && isAlive(pid))) continue;
      await fs.unlink(path.join(dir, name)).catch(() => undefined);
      removed += 1;
    }
  }
  return removed;
}
