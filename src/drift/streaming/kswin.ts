import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { Random } from '../../core/random.js';
import { ks2Sample } from '../../stats/ks.js';
import { DetectorBase, progressShape } from './base.js';
import {
  assertFiniteValue,
  type DetectorState,
  DRIFT,
  parseSnapshot,
  STABLE,
  type StreamingDetector,
} from './types.js';

/** Options of {@link KSWIN}. */
export interface KswinOptions {
  /** Significance level of the KS test (River advises below 0.01). @defaultValue 0.005 */
  alpha?: number;
  /** Length of the sliding window Ψ. @defaultValue 100 */
  windowSize?: number;
  /** Length r of the newest part R of the window, and of the sample W drawn from the rest. @defaultValue 30 */
  statSize?: number;
  /** Seed of the sampling of W (a non-negative safe integer). @defaultValue 0 */
  seed?: number;
}

const optionsShape = {
  alpha: z.number().gt(0).max(1),
  windowSize: z.number().int().min(2),
  statSize: z.number().int().min(1),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
};
const fits = (o: { windowSize: number; statSize: number }) => 2 * o.statSize <= o.windowSize;
const fitsMessage = {
  message: 'statSize must be at most half of windowSize (W is drawn without replacement from the older part)',
  path: ['statSize'],
};

const optionsSchema = z
  .strictObject({
    alpha: optionsShape.alpha.default(0.005),
    windowSize: optionsShape.windowSize.default(100),
    statSize: optionsShape.statSize.default(30),
    seed: optionsShape.seed.default(0),
  })
  .refine(fits, fitsMessage);

/** The plain-JSON state of a {@link KSWIN}, from {@link KSWIN.toJSON}. */
export interface KswinSnapshot {
  /** Always `'KSWIN'`. */
  kind: 'KSWIN';
  /** The options, defaults filled in. */
  options: Required<KswinOptions>;
  /** Values read since construction or reset. */
  updates: number;
  /** Whether the last update flagged a drift. */
  drift: boolean;
  /** The window's values, oldest first. */
  window: number[];
  /** KS tests run since the detector last started afresh (each draws W from its own stream of the seed). */
  tests: number;
  /** The last test's statistic (0 before the first). */
  statistic: number;
  /** The last test's p-value (0 before the first, as River's). */
  pValue: number;
}

const snapshotSchema = z.strictObject({
  kind: z.literal('KSWIN'),
  options: z.strictObject(optionsShape).refine(fits, fitsMessage),
  ...progressShape,
  window: z.array(z.number()),
  tests: z.number().int().min(0),
  statistic: z.number().min(0).max(1),
  pValue: z.number().min(0).max(1),
});

/**
 * KSWIN, Kolmogorov–Smirnov windowing (Raab, Heusinger and Schleif 2020), as River's `drift.KSWIN`. It keeps the
 * last `windowSize` values; once the window is full, every update compares its newest `statSize` values R with
 * `statSize` values W drawn uniformly without replacement from the older part, by a two-sample KS test
 * ({@link ks2Sample}, `method: 'auto'`, as River's `scipy.stats.ks_2samp` call). A drift is flagged when the p-value
 * is at most `alpha` and the statistic exceeds 0.1; the next update then starts from an empty window.
 *
 * W is drawn with mlcycle's seeded {@link Random} (test t uses `new Random(seed).fork(t)`), not with Python's
 * `random.Random(seed).sample` as River does, so the sampled values differ from River's for the same seed: only the
 * detection behaviour, not River's exact indices, can be matched.
 *
 * @example
 * ```ts
 * import { KSWIN } from 'mlcycle';
 *
 * const kswin = new KSWIN({ alpha: 0.0001, seed: 42 });
 * for (const [i, x] of stream.entries()) if (kswin.update(x).drift) console.log(`distribution changed at ${i}`);
 * ```
 */
export class KSWIN extends DetectorBase implements StreamingDetector {
  private readonly options: Required<KswinOptions>;
  private readonly root: Random;
  /** Ring buffer of the window; `start` is the oldest value once the window is full. */
  private readonly ring: Float64Array;
  private readonly older: Float64Array;
  private readonly newest: Float64Array;
  private readonly pool: Int32Array;
  private length = 0;
  private start = 0;
  private tests = 0;
  private lastStatistic = 0;
  private lastPValue = 0;

  /** @param options - see {@link KswinOptions}; validated once, here. */
  constructor(options: KswinOptions = {}) {
    super();
    this.options = parseOptions(optionsSchema, options, 'KSWIN options');
    const { windowSize, statSize, seed } = this.options;
    this.root = new Random(seed);
    this.ring = new Float64Array(windowSize);
    this.older = new Float64Array(statSize);
    this.newest = new Float64Array(statSize);
    this.pool = new Int32Array(windowSize - statSize);
  }

  /** The last KS test's p-value (0 before the first test, as River's `p_value`). */
  get pValue(): number {
    return this.lastPValue;
  }

  /** The last KS test's statistic (0 before the first test). */
  get statistic(): number {
    return this.lastStatistic;
  }

  /** Reads one value; see the class description. */
  update(x: number): DetectorState {
    assertFiniteValue(x, 'KSWIN');
    if (this.lastDrift) this.startAfresh();
    this.seen++;
    const { windowSize, statSize, alpha } = this.options;
    if (this.length < windowSize) {
      this.ring[this.length++] = x;
    } else {
      this.ring[this.start] = x;
      this.start = (this.start + 1) % windowSize;
    }
    if (this.length < windowSize) return STABLE;

    // Partial Fisher–Yates over the older positions: statSize distinct positions, uniformly.
    const rng = this.root.fork(this.tests++);
    const pool = this.pool;
    for (let i = 0; i < pool.length; i++) pool[i] = i;
    for (let i = 0; i < statSize; i++) {
      const j = rng.int(i, pool.length - 1);
      const picked = pool[j] as number;
      pool[j] = pool[i] as number;
      pool[i] = picked;
      this.older[i] = this.ring[(this.start + picked) % windowSize] as number;
    }
    const offset = windowSize - statSize;
    for (let i = 0; i < statSize; i++)
      this.newest[i] = this.ring[(this.start + offset + i) % windowSize] as number;

    const result = ks2Sample(this.older, this.newest);
    this.lastStatistic = result.statistic;
    this.lastPValue = result.pValue;
    this.lastDrift = result.pValue <= alpha && result.statistic > 0.1;
    return this.lastDrift ? DRIFT : STABLE;
  }

  /** A plain-JSON snapshot of the whole state; {@link KSWIN.fromJSON} restores it. */
  toJSON(): KswinSnapshot {
    const window: number[] = [];
    for (let i = 0; i < this.length; i++)
      window.push(this.ring[(this.start + i) % this.ring.length] as number);
    return {
      kind: 'KSWIN',
      options: { ...this.options },
      ...this.progress(),
      window,
      tests: this.tests,
      statistic: this.lastStatistic,
      pValue: this.lastPValue,
    };
  }

  /** Restores a detector from {@link KSWIN.toJSON}'s snapshot; it continues exactly as the original would. */
  static fromJSON(snapshot: KswinSnapshot): KSWIN {
    const s = parseSnapshot(snapshotSchema, snapshot, 'KSWIN');
    const kswin = new KSWIN(s.options);
    const window = s.window.slice(-kswin.ring.length);
    kswin.ring.set(window);
    kswin.length = window.length;
    kswin.restoreProgress(s);
    kswin.tests = s.tests;
    kswin.lastStatistic = s.statistic;
    kswin.lastPValue = s.pValue;
    return kswin;
  }

  protected override restart(): void {
    this.length = 0;
    this.start = 0;
    this.tests = 0;
    this.lastStatistic = 0;
    this.lastPValue = 0;
  }
}
