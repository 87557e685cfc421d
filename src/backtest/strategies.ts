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
  const { fast, slow, allowShort } = parseOptions(paramsSchema, params, 'movingAverageCrossover parameters');
  const close = bars.close;
  const n = close.length;
  const cumulative = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cumulative[i + 1] = (cumulative[i] as number) + (close[i] as number);
  const below = allowShort ? -1 : 0;
  const positions = new Array<number>(n).fill(0);
  for (let i = slow - 1; i < n; i++) {
    const fastMean = ((cumulative[i + 1] as number) - (cumulative[i + 1 - fast] as number)) / fast;
    const slowMean = ((cumulative[i + 1] as number) - (cumulative[i + 1 - slow] as number)) / slow;
    positions[i] = fastMean > slowMean ? 1 : below;
  }
  return positions;
}
