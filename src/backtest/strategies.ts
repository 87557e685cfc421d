import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import type { Bars } from './types.js';

/** Parameters of {@link movingAverageCrossover}. */
export interface MovingAverageCrossoverParams {
  /** Bars in the fast simple moving average, at least 1. */
  fast: number;
  /** Bars in the slow simple moving average, more than `fast`. */
  slow: number;
  /** Short (−1) when the fast average is below the slow one, instead of flat (0). @defaultValue false */
  allowShort?: boolean;
}

const paramsSchema = z
  .strictObject({
    fast: z.number().int().min(1),
    slow: z.number().int().min(2),
    allowShort: z.boolean().default(false),
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be shorter than slow', path: ['fast'] });

/**
 * The parameters, checked: by hand for the well-formed sets a sweep sends by the thousand, by the schema (for its
 * messages) otherwise.
 */
function parseParams(params: MovingAverageCrossoverParams): Required<MovingAverageCrossoverParams> {
  const { fast, slow, allowShort = false } = params ?? {};
  const wellFormed =
    typeof params === 'object' &&
    params !== null &&
    Object.getPrototypeOf(params) === Object.prototype &&
    Object.keys(params).every((key) => key === 'fast' || key === 'slow' || key === 'allowShort') &&
    Number.isSafeInteger(fast) &&
    Number.isSafeInteger(slow) &&
    fast >= 1 &&
    fast < slow &&
    typeof allowShort === 'boolean';
  return wellFormed
    ? { fast, slow, allowShort }
    : parseOptions(paramsSchema, params, 'movingAverageCrossover parameters');
}

/** Values of moving averages kept at most (32 MB); beyond it, an average is worked out again each time. */
const KEPT_VALUES = 1 << 22;

/**
 * Simple moving averages of the closes by window length, each taken from one cumulative sum of the closes as
 * `numpy.cumsum`-based rolling means are (mean[i] = (cs[i + 1] − cs[i + 1 − w]) / w), and kept once computed while
 * they fit in {@link KEPT_VALUES}.
 */
class RollingMeans {
  readonly #cumulative: Float64Array;
  readonly #means = new Map<number, Float64Array>();
  #kept = 0;
  /** Where the averages that are not kept are written: one array for each of the two a crossover reads. */
  readonly #spares: Float64Array[] = [];

  constructor(close: ArrayLike<number>) {
    const n = close.length;
    const cumulative = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) cumulative[i + 1] = (cumulative[i] as number) + (close[i] as number);
    this.#cumulative = cumulative;
  }

  /**
   * The means of window `w`, from index w − 1 on (0 before). When they are not kept, they are written to spare
   * array `spare`, which the next call with the same spare overwrites.
   */
  of(w: number, spare: 0 | 1): Float64Array {
    const kept = this.#means.get(w);
    if (kept) return kept;
    const cumulative = this.#cumulative;
    const n = cumulative.length - 1;
    let means: Float64Array;
    if (this.#kept + n <= KEPT_VALUES) {
      means = new Float64Array(n);
      this.#means.set(w, means);
      this.#kept += n;
    } else {
      means = this.#spares[spare] ?? new Float64Array(n);
      this.#spares[spare] = means;
      means.fill(0, 0, w - 1);
    }
    for (let i = w - 1; i < n; i++)
      means[i] = ((cumulative[i + 1] as number) - (cumulative[i + 1 - w] as number)) / w;
    return means;
  }
}

/**
 * Long (1) where the fast mean is above the slow one, `below` elsewhere from index slow − 1, 0 before; written to
 * `out` when given (which is then returned).
 */
function crossover(
  means: RollingMeans,
  fast: number,
  slow: number,
  below: number,
  out?: Float64Array,
): Float64Array {
  const fastMeans = means.of(fast, 0);
  const slowMeans = means.of(slow, 1);
  const n = fastMeans.length;
  const positions = out ?? new Float64Array(n);
  positions.fill(0, 0, slow - 1);
  for (let i = slow - 1; i < n; i++)
    positions[i] = (fastMeans[i] as number) > (slowMeans[i] as number) ? 1 : below;
  return positions;
}

/**
 * The moving-average crossover rule: long (1) while the fast simple moving average of the closes is above the slow
 * one, otherwise flat (0) or short (−1); flat until the slow average has a full window. The averages are taken
 * from cumulative sums of the closes, as `numpy.cumsum`-based rolling means are, so that a sweep agrees with a
 * vectorised NumPy one bar for bar.
 *
 * @returns one target exposure per bar, decided with that bar's close.
 * @throws MlcycleError `INVALID_ARGUMENT` for bad parameters (fast ≥ slow, non-integers, unknown keys).
 * @example
 * ```ts
 * const positions = movingAverageCrossover(bars, { fast: 20, slow: 100 });
 * new Backtester().run({ bars, positions });
 * ```
 */
export function movingAverageCrossover(bars: Bars, params: MovingAverageCrossoverParams): number[] {
  const { fast, slow, allowShort } = parseParams(params);
  return Array.from(crossover(new RollingMeans(bars.close), fast, slow, allowShort ? -1 : 0));
}

/**
 * {@link movingAverageCrossover} for many parameter sets on the same bars: the moving average of each window is
 * computed once (while they fit in {@link KEPT_VALUES}), and the positions come in one `Float64Array`, which each
 * call overwrites. `range` gives the least and greatest position of a parameter set without reading them.
 *
 * @internal for sweeps; not part of the public surface.
 */
export function prepareMovingAverageCrossover(bars: Bars): {
  positions(params: MovingAverageCrossoverParams): Float64Array;
  range(params: MovingAverageCrossoverParams): readonly [number, number];
} {
  const means = new RollingMeans(bars.close);
  const positions = new Float64Array(bars.close.length);
  return {
    positions(params) {
      const { fast, slow, allowShort } = parseParams(params);
      return crossover(means, fast, slow, allowShort ? -1 : 0, positions);
    },
    range: (params) => [params.allowShort === true ? -1 : 0, 1],
  };
}
