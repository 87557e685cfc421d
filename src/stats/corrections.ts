import { formatNumber } from '../core/checks.js';
import { MlcycleError } from '../core/errors.js';
import { toFiniteArray } from '../core/numeric.js';

/** Checks that every p-value is a finite number in [0, 1]; an empty array is allowed. */
function toPValues(pValues: ArrayLike<number>): Float64Array {
  const out = toFiniteArray(pValues, 'pValues', 0);
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as number;
    if (p < 0 || p > 1) {
      throw new MlcycleError(
        'INVALID_ARGUMENT',
        `pValues must lie in [0, 1], but pValues[${i}] is ${formatNumber(p)}`,
        { details: { name: 'pValues', index: i } },
      );
    }
  }
  return out;
}

/** Indices of `values` in ascending order of value. */
function ascendingOrder(values: Float64Array): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (values[a] as number) - (values[b] as number));
}

/**
 * Bonferroni-adjusted p-values, `min(1, p_i · m)` for `m` tests. Matches statsmodels'
 * `multipletests(pValues, method='bonferroni')[1]`. Controls the family-wise error rate under any dependence.
 *
 * @param pValues - p-values in [0, 1]; an empty array gives an empty result.
 * @returns the adjusted p-values, in the input order.
 * @throws `INVALID_ARGUMENT` when a p-value is not a finite number in [0, 1].
 *
 * @example
 * ```ts
 * import { bonferroni } from 'mlcycle';
 *
 * bonferroni([0.01, 0.02, 0.5]); // [0.03, 0.06, 1]
 * ```
 */
export function bonferroni(pValues: ArrayLike<number>): number[] {
  const p = toPValues(pValues);
  const m = p.length;
  return Array.from(p, (v) => Math.min(1, v * m));
}

/**
 * Holm's step-down adjusted p-values (Holm 1979). Matches statsmodels' `multipletests(pValues, method='holm')[1]`:
 * with the p-values sorted ascending, the k-th (from 0) becomes `max_{j <= k} (m − j) · p_(j)`, capped at 1.
 * Controls the family-wise error rate under any dependence and is never larger than Bonferroni's.
 *
 * Ties get the same adjusted value; the result is monotone in the p-values and returned in the input order.
 *
 * @param pValues - p-values in [0, 1]; an empty array gives an empty result.
 * @throws `INVALID_ARGUMENT` when a p-value is not a finite number in [0, 1].
 *
 * @example
 * ```ts
 * import { holm } from 'mlcycle';
 *
 * holm([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * ```
 */
export function holm(pValues: ArrayLike<number>): number[] {
  const p = toPValues(pValues);
  const m = p.length;
  const order = ascendingOrder(p);
  const adjusted = new Array<number>(m);
  let running = 0;
  for (let k = 0; k < m; k++) {
    const index = order[k] as number;
    running = Math.max(running, (p[index] as number) * (m - k));
    adjusted[index] = Math.min(1, running);
  }
  return adjusted;
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values) for false-discovery-rate control (Benjamini and Hochberg 1995).
 * Matches statsmodels' `multipletests(pValues, method='fdr_bh')[1]` (and scipy's `false_discovery_control` from
 * 1.11 on): with the p-values sorted ascending, the k-th (from 1) becomes `min_{j >= k} p_(j) / (j / m)`, capped at
 * 1. Valid for independent or positively dependent tests.
 *
 * Ties get the same adjusted value; the result is monotone in the p-values and returned in the input order.
 *
 * @param pValues - p-values in [0, 1]; an empty array gives an empty result.
 * @throws `INVALID_ARGUMENT` when a p-value is not a finite number in [0, 1].
 *
 * @example
 * ```ts
 * import { benjaminiHochberg } from 'mlcycle';
 *
 * benjaminiHochberg([0.01, 0.04, 0.03]); // [0.030000000000000002, 0.04, 0.04]
 * ```
 */
export function benjaminiHochberg(pValues: ArrayLike<number>): number[] {
  const p = toPValues(pValues);
  const m = p.length;
  const order = ascendingOrder(p);
  const adjusted = new Array<number>(m);
  let running = Number.POSITIVE_INFINITY;
  for (let k = m - 1; k >= 0; k--) {
    const index = order[k] as number;
    // p / (rank / m), divided in this order as statsmodels does, so the digits agree.
    running = Math.min(running, (p[index] as number) / ((k + 1) / m));
    adjusted[index] = Math.min(1, running);
  }
  return adjusted;
}
