import type { GradientBoostingSettings } from './boosting.js';
import type { BoostingData } from './boosting-train.js';
import type { BinnedData, HistogramHelper } from './grow.js';
import { accumulate } from './histogram.js';
import { loadPool } from './workers.js';

// Control words per helper thread, in a shared Int32Array.
const SEQ = 0; // bumped by the main thread for each job (and to stop)
const DONE = 1; // set by the helper to the SEQ it finished
const STOP = 2; // 1: leave the loop
const READY = 3; // 1 once the helper is listening
const START = 4;
const END = 5;
const HIST = 6; // offset of the histogram in the shared histograms, in entries
const GRAD = 7; // offset of the gradients (and hessians) in the shared arrays, in entries
const FROM = 8; // the helper's features: features[FROM..TO)
const TO = 9;
const WORDS = 16;
/** Nodes with fewer rows are built on the calling thread alone: waking a helper would cost about what it saves. */
const MIN_SHARED_ROWS = 4096;

/** `Atomics.waitAsync` (ES2024, in Node since 16), which this project's TypeScript library setting does not list. */
interface AtomicsWaitAsync {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
}

/** What each helper thread receives once: views on the shared memory of one fit. */
export interface HistogramServeInput {
  /** This helper's control words. */
  control: Int32Array;
  /** Row-major bins. */
  bins: Uint8Array;
  /** Features per row. */
  cols: number;
  /** Bins per feature in a histogram. */
  stride: number;
  /** Rows per gradient array. */
  rows: number;
  /** Every gradient array, one after another. */
  grad: Float64Array;
  /** Every hessian array, one after another. */
  hess: Float64Array;
  /** The row index array the grower partitions. */
  order: Uint32Array;
  /** Every shared histogram, one after another. */
  hist: Float64Array;
  /** The features of the current tree. */
  features: Int32Array;
  /** Entries per histogram. */
  histSize: number;
  /** Whether every hessian is 1, so that histograms keep counts for them (see `HistogramInput`). */
  unitHessian: boolean;
}

/**
 * Worker-thread entry (`trees.histograms`): serves histogram jobs for one fit until told to stop. It blocks on the
 * control words (`Atomics.wait`) between jobs, so a job costs a wake-up rather than a message.
 */
export function serveHistograms(input: HistogramServeInput): string {
  const { control, rows, histSize } = input;
  let seen = 0;
  Atomics.store(control, READY, 1);
  Atomics.notify(control, READY);
  for (;;) {
    Atomics.wait(control, SEQ, seen);
    seen = Atomics.load(control, SEQ);
    if (Atomics.load(control, STOP) === 1) return 'stopped';
    const grad = Atomics.load(control, GRAD);
    const hist = Atomics.load(control, HIST);
    const from = Atomics.load(control, FROM);
    const to = Atomics.load(control, TO);
    accumulate(
      {
        bins: input.bins,
        cols: input.cols,
        grad: input.grad.subarray(grad, grad + rows),
        hess: input.hess.subarray(grad, grad + rows),
        outputs: 1,
        stride: input.stride,
        unitHessian: input.unitHessian,
      },
      input.order,
      Atomics.load(control, START),
      Atomics.load(control, END),
      input.features.subarray(from, to),
      to - from,
      input.hist.subarray(hist, hist + histSize),
    );
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
  }
}

/**
 * Helper threads that build histograms feature-parallel for one boosting fit: each takes a contiguous share of the
 * tree's features while the main thread builds the first share. Gradients, hessians, the row order, the bins and the
 * histograms live in shared memory; each feature's sums are made in row order by one thread, so the model is the
 * one a single thread fits, to the bit.
 */
export class HistogramTeam implements HistogramHelper {
  /** Shared row index array for the grower. */
  readonly order: Uint32Array;
  /** Shared gradients, `outputs` arrays of `rows` one after another. */
  readonly grad: Float64Array;
  /** Shared hessians, laid out as `grad`. */
  readonly hess: Float64Array;
  private readonly hist: Float64Array;
  private readonly features: Int32Array;
  private readonly controls: Int32Array[];
  private next = 0;
  private sequence = 0;
  private running: Promise<unknown> = Promise.resolve();

  private constructor(
    data: BinnedData,
    outputs: number,
    private readonly helpers: number,
    private readonly histSize: number,
    slots: number,
  ) {
    const shared = <T>(make: (buffer: SharedArrayBuffer) => T, bytes: number): T =>
      make(new SharedArrayBuffer(bytes));
    this.order = shared((b) => new Uint32Array(b), 4 * data.rows);
    this.grad = shared((b) => new Float64Array(b), 8 * data.rows * outputs);
    this.hess = shared((b) => new Float64Array(b), 8 * data.rows * outputs);
    this.hist = shared((b) => new Float64Array(b), 8 * histSize * slots);
    this.features = shared((b) => new Int32Array(b), 4 * data.cols);
    this.controls = Array.from({ length: helpers }, () => shared((b) => new Int32Array(b), 4 * WORDS));
  }

  /**
   * Starts `workers − 1` helper threads for a boosting fit on `set`, or returns null when one worker is asked for or threads
   * are unavailable (the fit then runs on this thread alone).
   */
  static async start(
    set: BoostingData,
    p: GradientBoostingSettings,
    workers: number | undefined,
  ): Promise<HistogramTeam | null> {
    if (workers === 1 || typeof SharedArrayBuffer === 'undefined') return null;
    const data = set.data;
    const outputs = set.classes !== null && p.objective === 'softmax' ? set.classes.length : 1;
    const loaded = await loadPool();
    if (loaded === null) return null;
    const helpers = Math.min((workers ?? loaded.cpus) - 1, data.cols - 1);
    if (helpers < 1) return null;
    let stride = 0;
    for (const count of data.counts) stride = Math.max(stride, count + 1);
    // As many shared histograms as a tree keeps at once (two per open node); the grower builds any more alone.
    const unitHessian = p.objective === 'squared' || p.objective === 'absolute';
    const histSize = data.cols * stride * (unitHessian ? 2 : 3);
    const slots = Math.max(4, Math.min(128, 2 * Math.min(2 ** Math.min(p.maxDepth, 16), p.maxLeaves) + 2));
    const team = new HistogramTeam(data, outputs, helpers, histSize, slots);
    const bins = new Uint8Array(new SharedArrayBuffer(data.bins.length));
    bins.set(data.bins);
    const inputs: HistogramServeInput[] = team.controls.map((control) => ({
      control,
      bins,
      cols: data.cols,
      stride,
      rows: data.rows,
      grad: team.grad,
      hess: team.hess,
      order: team.order,
      hist: team.hist,
      features: team.features,
      histSize,
      unitHessian,
    }));
    team.running = loaded.pool.runInWorkers('trees.histograms', inputs, { workers: helpers });
    const ready = team.controls.map(async (control) => {
      const waiting = (Atomics as unknown as AtomicsWaitAsync).waitAsync(control, READY, 0);
      if (waiting.async) await waiting.value;
    });
    await Promise.race([Promise.all(ready), team.running.then(() => undefined)]);
    return team;
  }

  allocate(size: number): Float64Array | null {
    if (size !== this.histSize || (this.next + 1) * size > this.hist.length) return null;
    const hist = this.hist.subarray(this.next * size, (this.next + 1) * size);
    this.next++;
    return hist;
  }

  begin(
    rows: Uint32Array,
    start: number,
    end: number,
    hist: Float64Array,
    features: Int32Array,
    grad: Float64Array,
    hess: Float64Array,
  ): number {
    const shared =
      end - start >= MIN_SHARED_ROWS &&
      hist.buffer === this.hist.buffer &&
      rows.buffer === this.order.buffer &&
      grad.buffer === this.grad.buffer &&
      hess.buffer === this.hess.buffer &&
      grad.byteOffset === hess.byteOffset;
    if (!shared) return features.length;
    this.features.set(features);
    const parts = this.helpers + 1;
    const share = Math.ceil(features.length / parts);
    this.sequence++;
    this.controls.forEach((control, h) => {
      control[START] = start;
      control[END] = end;
      control[HIST] = hist.byteOffset / 8 - this.hist.byteOffset / 8;
      control[GRAD] = grad.byteOffset / 8;
      control[FROM] = Math.min(features.length, (h + 1) * share);
      control[TO] = Math.min(features.length, (h + 2) * share);
      Atomics.store(control, SEQ, this.sequence);
      Atomics.notify(control, SEQ);
    });
    return Math.min(features.length, share);
  }

  wait(): void {
    for (const control of this.controls) {
      for (;;) {
        const done = Atomics.load(control, DONE);
        if (done === this.sequence) break;
        Atomics.wait(control, DONE, done);
      }
    }
  }

  /** Tells the helpers to leave and waits for their threads to end. */
  async stop(): Promise<void> {
    this.sequence++;
    for (const control of this.controls) {
      Atomics.store(control, STOP, 1);
      Atomics.store(control, SEQ, this.sequence);
      Atomics.notify(control, SEQ);
    }
    await this.running;
  }
}
