import type { FileHandle } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { MlcycleError } from '../core/errors.js';
import { BlobFiles } from './journal-blobs.js';
import {
  type BadLineReason,
  BLOB_DIR,
  errorCode,
  JOURNAL_FILE,
  JOURNAL_TEMP,
  scanJournal,
  syncDirectory,
  writeDurably,
} from './journal-file.js';
import { acquireLock, type LockHolder, releaseLock, removeLockLeftovers } from './journal-lock.js';
import { headerLine, replay } from './journal-records.js';
import { StoreState } from './state.js';

/** What opening a journal directory found and repaired. */
export interface JournalRecovery {
  /** Whether the directory held no journal, so an empty one was created. */
  created: boolean;
  /** How many journal records were replayed (the header not counted). */
  records: number;
  /** The length in bytes of the journal as kept. */
  bytes: number;
  /**
   * The incomplete or damaged last line that was dropped (a write cut short by a crash, so never acknowledged),
   * or `null` when the journal ended cleanly. `line` is 1-based.
   */
  droppedTail: {
    /** The 1-based line number of the dropped line. */
    line: number;
    /** How many bytes were dropped. */
    bytes: number;
    /** Why the line could not be kept. */
    reason: BadLineReason;
  } | null;
  /** Whether the dropped tail was also cut from the file; `false` when opened read-only, which never writes. */
  truncated: boolean;
  /** The lock left by a process that no longer runs, which opening took over; `null` if there was none. */
  staleLock: LockHolder | null;
  /** Leftover files removed: temporary files of interrupted writes, and blob files nothing refers to. */
  removedFiles: number;
}

/** An opened journal directory: its replayed state and, unless read-only, the locked journal file. */
export interface OpenedJournal {
  dir: string;
  state: StoreState;
  recovery: JournalRecovery;
  writable: { handle: FileHandle; size: number; holder: LockHolder } | undefined;
}

/** Whether any blob recorded in `state` has this hash. */
export function referencedBy(state: StoreState): (sha256: string) => boolean {
  return (sha256) => {
    for (const info of state.blobs.values()) if (info.sha256 === sha256) return true;
    return false;
  };
}

async function readJournal(file: string): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Replays the journal in `dir` without the lock and without changing any file. */
export async function openJournalReadOnly(requested: string): Promise<OpenedJournal> {
  const dir = await fs.realpath(requested).catch(() => requested);
  const file = path.join(dir, JOURNAL_FILE);
  const bytes = await readJournal(file);
  if (bytes === undefined) {
    throw new MlcycleError(
      'NOT_FOUND',
      `Cannot open ${dir} read-only: it holds no journal (${JOURNAL_FILE}). Open it without readOnly to create one.`,
      { details: { dir } },
    );
  }
  const state = new StoreState();
  const scan = scanJournal(bytes, file);
  replay(scan, state, file);
  const recovery: JournalRecovery = {
    created: false,
    records: Math.max(0, scan.lines.length - 1),
    bytes: scan.goodBytes,
    droppedTail: scan.tail,
    truncated: false,
    staleLock: null,
    removedFiles: 0,
  };
  return { dir, state, recovery, writable: undefined };
}

/**
 * Creates `requested` if needed, takes its lock, replays its journal, cuts a torn last line from the file, and
 * removes what interrupted writes left behind. Nothing is changed before the whole journal has been checked, so a
 * journal damaged in the middle is left exactly as it was.
 */
export async function openJournalWritable(requested: string): Promise<OpenedJournal> {
  const made = await fs.mkdir(requested, { recursive: true });
  if (made !== undefined) await syncDirectory(path.dirname(made));
  const dir = await fs.realpath(requested);
  const { holder, stale } = await acquireLock(dir);
  let handle: FileHandle | undefined;
  try {
    const file = path.join(dir, JOURNAL_FILE);
    const bytes = await readJournal(file);
    const state = new StoreState();
    const scan = scanJournal(bytes ?? new Uint8Array(0), file);
    replay(scan, state, file);

    const names = await fs.readdir(dir);
    let removedFiles = await removeLockLeftovers(dir, names);
    if (names.includes(JOURNAL_TEMP)) {
      await fs.unlink(path.join(dir, JOURNAL_TEMP));
      removedFiles += 1;
    }
    if ((await fs.mkdir(path.join(dir, BLOB_DIR), { recursive: true })) !== undefined)
      await syncDirectory(dir);

    let size = scan.goodBytes;
    if (scan.lines.length === 0) {
      // No journal yet, or one whose header never became whole: start afresh, atomically.
      const temp = path.join(dir, JOURNAL_TEMP);
      size = await writeDurably(temp, [headerLine()]);
      await fs.rename(temp, file);
      await syncDirectory(dir);
    }
    handle = await fs.open(file, 'r+');
    if (scan.tail !== null && scan.lines.length > 0) {
      await handle.truncate(size);
      await handle.sync();
    }
    removedFiles += await new BlobFiles(path.join(dir, BLOB_DIR)).sweep(referencedBy(state));
    const recovery: JournalRecovery = {
      created: bytes === undefined,
      records: Math.max(0, scan.lines.length - 1),
      bytes: size,
      droppedTail: scan.tail,
      truncated: scan.tail !== null,
      staleLock: stale,
      removedFiles,
    };
    return { dir, state, recovery, writable: { handle, size, holder } };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await releaseLock(dir, holder).catch(() => undefined);
    throw error;
  }
}
