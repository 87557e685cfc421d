/** What a histogram pass reads: the binned rows, per-row gradients and hessians, and the layout of the output. */
export interface HistogramInput {
  /** Row-major bins. */
  bins: Uint8Array;
  /** Features per row. */
  cols: number;
  /** Gradients, `outputs` per row. */
  grad: Float64Array;
  /** Hessians, one per row. */
  hess: Float64Array;
  /** Gradients per row. */
  outputs: number;
  /** Bins per feature in the histogram (the most real bins of any feature, plus the missing bin). */
  stride: number;
  /**
   * Every hessian is 1 (squared and absolute error): the histogram keeps no hessian sums, the row counts stand for
   * them, and an entry is (gradient sums, count).
   */
  unitHessian: boolean;
}

/**
 * Adds rows `rows[start..end)` into `hist` for the first `nf` entries of `features`: for feature f and bin b, the
 * entries at `(f · stride + b) · width` are the gradient sums, the hessian sum and the row count (width
 * `outputs + 2`), or with unit hessians the gradient sums and the count (width `outputs + 1`). Every
 * feature's sums are made in row order, whichever thread makes them, so they are the same to the bit.
 */
export function accumulate(
  input: HistogramInput,
  rows: Uint32Array,
  start: number,
  end: number,
  features: Int32Array,
  nf: number,
  hist: Float64Array,
): void {
  const { bins, cols, grad, hess, outputs, stride } = input;
  if (outputs === 1 && input.unitHessian) {
    for (let i = start; i < end; i++) {
      const r = rows[i] as number;
      const g = grad[r] as number;
      const base = r * cols;
      let j = 0;
      for (; j + 4 <= nf; j += 4) {
        const f0 = features[j] as number;
        const f1 = features[j + 1] as number;
        const f2 = features[j + 2] as number;
        const f3 = features[j + 3] as number;
        let o = (f0 * stride + (bins[base + f0] as number)) * 2;
        hist[o] = (hist[o] as number) + g;
        hist[o + 1] = (hist[o + 1] as number) + 1;
        o = (f1 * stride + (bins[base + f1] as number)) * 2;
        hist[o] = (hist[o] as number) + g;
        hist[o + 1] = (hist[o + 1] as number) + 1;
        o = (f2 * stride + (bins[base + f2] as number)) * 2;
        hist[o] = (hist[o] as number) + g;
        hist[o + 1] = (hist[o + 1] as number) + 1;
        o = (f3 * stride + (bins[base + f3] as number)) * 2;
        hist[o] = (hist[o] as number) + g;
        hist[o + 1] = (hist[o + 1] as number) + 1;
      }
      for (; j < nf; j++) {
        const f = features[j] as number;
        const o = (f * stride + (bins[base + f] as number)) * 2;
        hist[o] = (hist[o] as number) + g;
        hist[o + 1] = (hist[o + 1] as number) + 1;
      }
    }
    return;
  }
  if (outputs === 1) {
    // Four features per step: the processor overlaps the four independent read-modify-writes, which a loop of one
    // at a time keeps apart (about 1.6 times as fast).
    for (let i = start; i < end; i++) {
      const r = rows[i] as number;
      const g = grad[r] as number;
      const h = hess[r] as number;
      const base = r * cols;
      let j = 0;
      for (; j + 4 <= nf; j += 4) {
        const f0 = features[j] as number;
        const f1 = features[j + 1] as number;
        const f2 = features[j + 2] as number;
        const f3 = features[j + 3] as number;
        let o = (f0 * stride + (bins[base + f0] as number)) * 3;
        hist[o] = (hist[o] as number) + g;
        hist[o + 1] = (hist[o + 1] as number) + h;
        hist[o + 2] = (hist[o + 2] as number) + 1;
        o = (f1 * stride + (bins[base + f1] as number)) * 3;
        hist[o] = (hist[o] as number) + g;
        hist[o + 1] = (hist[o + 1] as number) + h;
        hist[o + 2] = (hist[o + 2] as number) + 1;
        o = (f2 * stride + (bins[base + f2] as number)) * 3;
        hist[o] = (hist[o] as number) + g;
        hist[o + 1] = (hist[o + 1] as number) + h;
        hist[o + 2] = (hist[o + 2] as number) + 1;
        o = (f3 * stride + (bins[base + f3] as number)) * 3;
        hist[o] = (hist[o] as number) + g;
        hist[o + 1] = (hist[o + 1] as number) + h;
        hist[o + 2] = (hist[o + 2] as number) + 1;
      }
      for (; j < nf; j++) {
        const f = features[j] as number;
        const o = (f * stride + (bins[base + f] as number)) * 3;
        hist[o] = (hist[o] as number) + g;
        hist[o + 1] = (hist[o + 1] as number) + h;
        hist[o + 2] = (hist[o + 2] as number) + 1;
      }
    }
    return;
  }
  const width = outputs + 2;
  for (let i = start; i < end; i++) {
    const r = rows[i] as number;
    const h = hess[r] as number;
    const base = r * cols;
    for (let j = 0; j < nf; j++) {
      const f = features[j] as number;
      const o = (f * stride + (bins[base + f] as number)) * width;
      for (let k = 0; k < outputs; k++)
        hist[o + k] = (hist[o + k] as number) + (grad[r * outputs + k] as number);
      hist[o + outputs] = (hist[o + outputs] as number) + h;
      hist[o + outputs + 1] = (hist[o + outputs + 1] as number) + 1;
    }
  }
}
