import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { toFiniteArray } from '../core/numeric.js';

/**
 * Copies per-period simple returns into a `Float64Array` after checking that they are finite, that there is at
 * least one, and that none is below −1 (a loss of more than everything cannot be compounded).
 *
 * @param name - the argument's name in error messages.
 * @param strict - when true, −1 itself is rejected too (for log returns, which need 1 + r > 0).
 * @internal shared by the metrics modules; not part of the public surface.
 */
export function toCompoundableReturns(
  returns: ArrayLike<number>,
  name: string,
  strict = false,
): Float64Array {
  const r = toFiniteArray(returns, name);
  for (let i = 0; i < r.length; i++) {
    const v = r[i] as number;
    if (v < -1 || (strict && v === -1)) {
      const expected = strict
        ? 'greater than -1 (log(1 + r) needs 1 + r > 0)'
        : 'at least -1 (a loss of 100%)';
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `${name} must be ${expected}, but ${name}[${i}] is ${formatNumber(v)}`,
        { details: { name, index: i } },
      );
    }
  }
  return r;
}

/**
 * The drawdown at the end of each period: wealth over its running peak, minus one (0 at a new high, −0.2 when 20%
 * below the best value so far). The starting value counts as the first peak, so a loss in the first period is
 * already a drawdown — the same path that empyrical's `max_drawdown` takes (wealth `cumprod(1 + r) · 100`, peak by
 * `np.fmax.accumulate` over the start and the path), so `Math.min(...drawdownSeries(r))` equals
 * {@link maxDrawdown}`(r).maxDrawdown` exactly.
 *
 * @param returns - per-period simple returns, finite and each at least −1.
 * @returns one value per period, each in [−1, 0].
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` when a value is not finite or
 * below −1.
 * @example
 * ```ts
 * drawdownSeries([0.1, -0.5, 1.0]); // Float64Array [0, -0.5, 0]
 * ```
 */
export function drawdownSeries(returns: ArrayLike<number>): Float64Array {
  const r = toCompoundableReturns(returns, 'returns');
  const out = new Float64Array(r.length);
  let growth = 1;
  let peak = 100;
  for (let i = 0; i < r.length; i++) {
    growth *= 1 + (r[i] as number);
    const wealth = growth * 100;
    if (wealth > peak) peak = wealth;
    out[i] = (wealth - peak) / peak;
  }
  return out;
}

/** The largest drawdown of a return series and where it happened; see {@link maxDrawdown}. */
export interface MaxDrawdownResult {
  /** The largest fall from a running peak, as a fraction ≤ 0 (−0.25 is a 25% drawdown); 0 when wealth never fell. */
  maxDrawdown: number;
  /**
   * Index of the period at whose end the peak was set (the last one at that peak before the trough), or −1 when
   * the peak is the starting value, before the first period.
   */
  peakIndex: number;
  /** Index of the period at whose end wealth was lowest relative to the peak (the first such period). */
  troughIndex: number;
  /** Index of the first period after the trough that ends back at the peak, or `null` if wealth never got back. */
  recoveryIndex: number | null;
  /** Periods from the peak to the recovery, or to the last period when there was no recovery. */
  durationPeriods: number;
}

/**
 * The maximum drawdown: the largest fall of compounded wealth from a running peak, as empyrical's `max_drawdown`
 * computes it (the starting value counts as a peak, so a first-period loss is a drawdown), with the peak, trough
 * and recovery located as pyfolio's `get_max_drawdown_underwater` does: the trough is the first period of lowest
 * drawdown, the peak the last period at the running high before it, the recovery the first period after it back
 * at that high.
 *
 * When wealth never falls below a running high, the result is
 * `{ maxDrawdown: 0, peakIndex: 0, troughIndex: 0, recoveryIndex: 0, durationPeriods: 0 }`.
 *
 * @param returns - per-period simple returns, finite and each at least −1 (−1 is a total loss).
 * @throws MlcycleError `INSUFFICIENT_DATA` when `returns` is empty; `INVALID_ARGUMENT` when a value is not finite or
 * below −1.
 * @example
 * ```ts
 * maxDrawdown([0.1, -0.5, 1.0, 0.0, -0.1]);
 * // { maxDrawdown: -0.5, peakIndex: 0, troughIndex: 1, recoveryIndex: 2, durationPeriods: 2 }
 * ```
 */
export function maxDrawdown(returns: ArrayLike<number>): MaxDrawdownResult {
  return maxDrawdownOf(drawdownSeries(returns));
}

/**
 * {@link maxDrawdown} located on a drawdown series (values ≤ 0, 0 at a running high); peakIndex is −1 when the
 * peak precedes the series.
 *
 * @internal shared with the backtester; not part of the public surface.
 */
export function maxDrawdownOf(dd: Float64Array): MaxDrawdownResult {
  const n = dd.length;
  let trough = 0;
  for (let i = 1; i < n; i++) if ((dd[i] as number) < (dd[trough] as number)) trough = i;
  let peak = trough;
  while (peak >= 0 && dd[peak] !== 0) peak--;
  let recovery: number | null = null;
  for (let i = trough; i < n; i++) {
    if (dd[i] === 0) {
      recovery = i;
      break;
    }
  }
  return {
    maxDrawdown: dd[trough] as number,
    peakIndex: peak,
    troughIndex: trough,
    recoveryIndex: recovery,
    durationPeriods: (recovery ?? n - 1) - peak,
  };
}

/** Keeps the cheap test `value < floor` from missing a drawdown that rounding puts just below the deepest. */
const FLOOR_MARGIN = 1 + 1e-12;

/**
 * The level under which a value may deepen the deepest drawdown `worst` below `peak`.
 *
 * @internal shared with the backtester; not part of the public surface.
 */
export function drawdownFloor(peak: number, worst: number): number {
  return peak * (1 + worst) * FLOOR_MARGIN;
}

/**
 * Where a {@link DrawdownTracker} is on its path.
 *
 * @internal shared with the backtester; not part of the public surface.
 */
export interface DrawdownState {
  /** The index of the last value added (the first value is index 0). */
  index: number;
  peak: number;
  peakIndex: number;
  /** The deepest drawdown so far (≤ 0), at index `trough`, below the peak at index `troughPeak`. */
  worst: number;
  trough: number;
  troughPeak: number;
  /** The index back at the trough's peak, −1 until then. */
  recovery: number;
  /** {@link drawdownFloor} of the peak and the deepest drawdown. */
  floor: number;
}

/**
 * The maximum drawdown of a path of values (an equity curve, prices) fed a range at a time, located as
 * {@link maxDrawdownOf} locates it on the path's drawdown series `value / running peak − 1`: the first value is the
 * first peak. Only a value below the deepest drawdown's level so far is divided by its peak.
 *
 * @internal shared with the backtester; not part of the public surface.
 */
export class DrawdownTracker {
  /**
   * Its state. The backtester's simulation loop updates it bar by bar with the rules of {@link add}, written out in
   * its loop: measured on 5,000-bar runs, that loop took about 40 µs where filling a block of equity values for
   * `add` took about 60 µs, and a method call per bar about 50 µs.
   */
  readonly state: DrawdownState;

  /** @param first - the path's first value, its first peak. */
  constructor(first: number) {
    this.state = {
      index: 0,
      peak: first,
      peakIndex: 0,
      worst: 0,
      trough: 0,
      troughPeak: 0,
      recovery: 0,
      floor: drawdownFloor(first, 0),
    };
  }

  /** Adds `values[start..end)`, the path's next values. */
  add(values: ArrayLike<number>, start: number, end: number): void {
    const state = this.state;
    let index = state.index;
    // Unary plus keeps these float64 in the loop when the fields start as small integers (a first value of 100).
    let peak = +state.peak;
    let peakIndex = state.peakIndex;
    let worst = +state.worst;
    let trough = state.trough;
    let troughPeak = state.troughPeak;
    let recovery = state.recovery;
    let floor = +state.floor;
    for (let i = start; i < end; i++) {
      const v = values[i] as number;
      index++;
      if (v >= peak) {
        peak = v;
        peakIndex = index;
        if (recovery < 0) recovery = index;
        floor = drawdownFloor(peak, worst);
      } else if (v < floor) {
        const drawdown = v / peak - 1;
        if (drawdown < worst) {
          worst = drawdown;
          trough = index;
          troughPeak = peakIndex;
          recovery = -1;
          floor = drawdownFloor(peak, worst);
        }
      }
    }
    state.index = index;
    state.peak = peak;
    state.peakIndex = peakIndex;
    state.worst = worst;
    state.trough = trough;
    state.troughPeak = troughPeak;
    state.recovery = recovery;
    state.floor = floor;
  }

  /** The deepest drawdown of the values added so far. */
  result(): MaxDrawdownResult {
    const { recovery, worst, trough, troughPeak, index } = this.state;
    return {
      maxDrawdown: worst,
      peakIndex: troughPeak,
      troughIndex: trough,
      recoveryIndex: recovery < 0 ? null : recovery,
      durationPeriods: (recovery < 0 ? index : recovery) - troughPeak,
    };
  }
}
