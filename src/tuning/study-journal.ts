/**
 * Where a study's operations go: straight into the in-process {@link StudyState}, or also into an append-only log of
 * a `Storage` that every process sharing the study replays in the same order.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { MlcycleError } from '../core/errors.js';
import type { Storage } from '../storage/types.js';
import { type StudyOp, StudyState } from './study-state.js';
import type { StudyDirection } from './types.js';

/** The collection that maps a study's name to its record. */
const STUDIES = 'tuning-studies';
/** The collection of running trials' heartbeats, id `<log>/<trial number>`. */
const HEARTBEATS = 'tuning-heartbeats';

/** A study's record in {@link STUDIES}. */
interface StudyRecord {
  /** The study's name. */
  name: string;
  /** One direction per objective. */
  directions: StudyDirection[];
  /** The log that holds the study's operations. */
  log: string;
  /** When the study was created, epoch ms. */
  createdAt: number;
}

/** A running trial's heartbeat document. */
interface Heartbeat {
  worker: string;
  at: number;
}

/**
 * The study's operations, applied in process and, when the study lives in a `Storage`, appended to its log.
 * Operations that only the trial's owner writes (parameters, reports, attributes) are applied at once and written
 * behind; operations that can race between processes (creating, claiming and finishing trials) are committed:
 * appended, then replayed in log order with everything other processes appended before them.
 *
 * @internal used by the tuning module; not part of the public surface.
 */
export class StudyJournal {
  /** The trials as replayed so far. */
  readonly state = new StudyState();
  /** This tuner instance's id in the log. */
  readonly worker: string = randomUUID();
  private cursor = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: unknown;
  private readonly own = new Set<number>();
  private readonly beating = new Set<number>();
  private timer: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly storage: Storage | undefined,
    /** The study's record. */
    readonly record: StudyRecord,
    private readonly clock: Clock,
    private readonly heartbeatMs: number,
  ) {}

  /** A study kept only in this process. */
  static local(name: string, directions: StudyDirection[], clock: Clock): StudyJournal {
    return new StudyJournal(undefined, { name, directions, log: '', createdAt: clock.now() }, clock, 0);
  }

  /**
   * Opens study `name` in `storage`, creating it unless it exists; an existing study must have the same directions
   * and, unless `loadIfExists`, is an error.
   */
  static async open(
    storage: Storage,
    name: string,
    directions: StudyDirection[],
    options: { clock: Clock; heartbeatMs: number; loadIfExists: boolean },
  ): Promise<StudyJournal> {
    const fresh: StudyRecord = {
      name,
      directions,
      log: `tuning.${randomUUID().replaceAll('-', '')}`,
      createdAt: options.clock.now(),
    };
    let record: StudyRecord;
    try {
      record = (await storage.put(STUDIES, name, fresh, { expectedRevision: 0 })).value;
    } catch (error) {
      if (!(error instanceof MlcycleError && error.code === 'CONFLICT')) throw error;
      const existing = await storage.get<StudyRecord>(STUDIES, name);
      if (existing === undefined) throw error;
      record = existing.value;
      if (!options.loadIfExists) {
        throw new MlcycleError(
          'CONFLICT',
          `study "${name}" already exists in the storage; pass loadIfExists: true to continue it or choose another studyName`,
        );
      }
      if (record.directions.join() !== directions.join()) {
        throw new MlcycleError(
          'INVALID_ARGUMENT',
          `study "${name}" was created with directions [${record.directions.join(', ')}], not [${directions.join(', ')}]`,
        );
      }
    }
    const journal = new StudyJournal(storage, record, options.clock, options.heartbeatMs);
    await journal.sync();
    return journal;
  }

  /** Whether the study lives in a storage (and so may be shared with other processes). */
  get persistent(): boolean {
    return this.storage !== undefined;
  }

  /** Applies `op` now and, for a stored study, appends it behind: for operations only the trial's owner writes. */
  write(op: StudyOp): void {
    this.state.apply(op);
    const storage = this.storage;
    if (storage === undefined) return;
    this.enqueue(async () => {
      const entry = await storage.append(this.record.log, op);
      this.own.add(entry.offset);
    });
  }

  /**
   * Appends `op` after every earlier write and replays the log up to it; resolves with the number of the trial it
   * concerns and whether it took effect (a claim or finish that another process made first does not).
   */
  async commit(op: StudyOp): Promise<{ number: number; applied: boolean }> {
    const storage = this.storage;
    if (storage === undefined) {
      const number = this.state.apply(op);
      return { number, applied: this.state.lastApplied };
    }
    return this.enqueue(async () => {
      const entry = await storage.append(this.record.log, op);
      return this.replay(entry.offset);
    }) as Promise<{ number: number; applied: boolean }>;
  }

  /** Replays what other processes appended since the last replay. */
  async sync(): Promise<void> {
    if (this.storage === undefined) return;
    await this.enqueue(() => this.replay(undefined));
  }

  /** Starts beating for trial `number` (a stored study's running trial owned here). */
  async startHeartbeat(number: number): Promise<void> {
    if (this.storage === undefined || this.heartbeatMs <= 0) return;
    this.beating.add(number);
    await this.beat(number);
    if (this.timer === undefined) {
      this.timer = setInterval(() => {
        for (const n of this.beating) void this.beat(n).catch(() => undefined);
      }, this.heartbeatMs);
      this.timer.unref?.();
    }
  }

  /** Stops beating for trial `number`. */
  stopHeartbeat(number: number): void {
    this.beating.delete(number);
    if (this.beating.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /**
   * The running trials of other workers whose last heartbeat (or start, when they never beat) is more than
   * `graceMs` old at `now`.
   */
  async staleTrials(now: number, graceMs: number): Promise<number[]> {
    const storage = this.storage;
    const { trials, owners } = this.state;
    const others = trials.filter((t) => t.state === 'RUNNING' && owners[t.number] !== this.worker);
    // Most asks find no running trial of another worker: read the heartbeats only when there is one to judge.
    if (storage === undefined || others.length === 0) return [];
    const beats = new Map<number, number>();
    for (const doc of await storage.list<Heartbeat>(HEARTBEATS, { idPrefix: `${this.record.log}/` })) {
      beats.set(Number(doc.id.slice(this.record.log.length + 1)), doc.value.at);
    }
    return others
      .filter((trial) => now - (beats.get(trial.number) ?? trial.startedAt ?? 0) > graceMs)
      .map((trial) => trial.number);
  }

  /** Stops the heartbeat timer and waits for pending writes. */
  async close(): Promise<void> {
    this.beating.clear();
    clearInterval(this.timer);
    this.timer = undefined;
    await this.queue;
  }

  private beat(number: number): Promise<unknown> {
    const storage = this.storage as Storage;
    const value: Heartbeat = { worker: this.worker, at: this.clock.now() };
    return storage.put(HEARTBEATS, `${this.record.log}/${number}`, value);
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    const run = this.queue.then(() => {
      if (this.failure !== undefined) throw this.failure;
      return task();
    });
    this.queue = run.catch((error: unknown) => {
      this.failure ??= error;
    });
    return run;
  }

  /** Applies the log from the cursor (up to `until`, inclusive, when given); skips what this worker wrote behind. */
  private async replay(until: number | undefined): Promise<{ number: number; applied: boolean }> {
    const storage = this.storage as Storage;
    const entries = await storage.read<StudyOp>(this.record.log, {
      fromOffset: this.cursor,
      ...(until === undefined ? {} : { limit: until - this.cursor + 1 }),
    });
    let result = { number: -1, applied: false };
    for (const entry of entries) {
      this.cursor = entry.offset + 1;
      if (this.own.delete(entry.offset)) continue;
      const number = this.state.apply(entry.value);
      if (entry.offset === until) result = { number, applied: this.state.lastApplied };
    }
    return result;
  }
}
