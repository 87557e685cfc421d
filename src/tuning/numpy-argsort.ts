/**
 * numpy's default `argsort`, step by step: Optuna's TPE gives tied observations bandwidths in the order numpy's
 * unstable sort leaves them, so matching Optuna needs the very same order.
 *
 * @module
 */

/**
 * numpy 1.24's `argsort` (default kind): introsort (median-of-three quicksort, insertion sort for runs of 16 or
 * fewer, heapsort past a depth of 2·⌊log2 n⌋). It is not stable, and Optuna's bandwidths of tied observations depend
 * on the exact order it leaves them in, so it is reproduced step by step.
 *
 * @internal used by the tuning module; not part of the public surface yet.
 */
export function argsortLikeNumpy(v: Float64Array): Int32Array {
  const a = Int32Array.from(v, (_, i) => i);
  const swap = (i: number, j: number): void => {
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  };
  const at = (i: number): number => v[a[i] as number] as number;
  const stack: number[] = [];
  let pl = 0;
  let pr = a.length - 1;
  let depth = 2 * Math.floor(Math.log2(Math.max(a.length, 1)));
  for (;;) {
    if (depth < 0) {
      heapsortRange(v, a, pl, pr - pl + 1);
    } else {
      while (pr - pl > 15) {
        const pm = pl + ((pr - pl) >> 1);
        if (at(pm) < at(pl)) swap(pm, pl);
        if (at(pr) < at(pm)) swap(pr, pm);
        if (at(pm) < at(pl)) swap(pm, pl);
        const pivot = at(pm);
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do pi++;
          while (at(pi) < pivot);
          do pj--;
          while (pivot < at(pj));
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // Continue on the smaller side; the larger one waits on the stack with the depth reached.
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr, --depth);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1, --depth);
          pl = pi + 1;
        }
      }
      for (let pi = pl + 1; pi <= pr; pi++) {
        const vi = a[pi] as number;
        let pj = pi;
        while (pj > pl && (v[vi] as number) < at(pj - 1)) {
          a[pj] = a[pj - 1] as number;
          pj--;
        }
        a[pj] = vi;
      }
    }
    if (stack.length === 0) return a;
    depth = stack.pop() as number;
    pr = stack.pop() as number;
    pl = stack.pop() as number;
  }
}

/** numpy's `aheapsort` of the `n` indices starting at `start` (a 1-based binary heap). */
function heapsortRange(v: Float64Array, a: Int32Array, start: number, n: number): void {
  const get = (i: number): number => a[start + i - 1] as number;
  const put = (i: number, x: number): void => {
    a[start + i - 1] = x;
  };
  const sift = (tmp: number, from: number, size: number): void => {
    let i = from;
    let j = from << 1;
    while (j <= size) {
      if (j < size && (v[get(j)] as number) < (v[get(j + 1)] as number)) j++;
      if (!((v[tmp] as number) < (v[get(j)] as number))) break;
      put(i, get(j));
      i = j;
      j += j;
    }
    put(i, tmp);
  };
  for (let l = n >> 1; l > 0; l--) sift(get(l), l, n);
  for (let size = n; size > 1; ) {
    const tmp = get(size);
    put(size, get(1));
    size--;
    sift(tmp, 1, size);
  }
}
