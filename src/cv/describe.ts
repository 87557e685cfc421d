import type { Fold } from './types.js';

/** How an observation is used in one fold. */
export type FoldRole = 'train' | 'test' | 'excluded' | 'unused';

/** A run of consecutive observations with the same role in one fold: indices `start` to `end − 1`. */
export interface FoldSegment {
  /** The role: trained on, tested on, left out because it is too close to a test block (gap, purge, embargo), or unused. */
  kind: FoldRole;
  /** First index of the run. */
  start: number;
  /** One past the last index of the run. */
  end: number;
}

/** The fold layout as plain JSON, run-length encoded, for reports to draw. */
export interface FoldLayout {
  /** The number of observations. */
  n: number;
  /** Each fold as runs of roles covering 0 … n − 1. */
  folds: FoldDrawing[];
}

/** One fold of a {@link FoldLayout}. */
export interface FoldDrawing {
  /** The fold's index. */
  index: number;
  /** Runs of roles covering 0 … n − 1. */
  segments: FoldSegment[];
}

/**
 * The role of every observation in `fold`: excluded observations are those in a run that touches a test block and
 * is closed on its other side by training or test data (a gap, a purge, an embargo); other unused runs are `unused`.
 */
export function foldSegments(n: number, fold: Fold): FoldSegment[] {
  const role = new Uint8Array(n); // 0 unused, 1 train, 2 test
  for (const i of fold.train) role[i] = 1;
  for (const i of fold.test) role[i] = 2;
  const runs: FoldSegment[] = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && role[i] === role[start]) continue;
    const r = role[start];
    runs.push({ kind: r === 1 ? 'train' : r === 2 ? 'test' : 'unused', start, end: i });
    start = i;
  }
  for (let k = 0; k < runs.length; k++) {
    const run = runs[k] as FoldSegment;
    if (run.kind !== 'unused') continue;
    const before = runs[k - 1]?.kind;
    const after = runs[k + 1]?.kind;
    const touchesTest = before === 'test' || after === 'test';
    if (touchesTest && before !== undefined && after !== undefined) run.kind = 'excluded';
  }
  return runs;
}

/** Builds the JSON layout of `folds` over `n` observations. */
export function foldLayout(n: number, folds: readonly Fold[]): FoldLayout {
  return { n, folds: folds.map((fold) => ({ index: fold.index, segments: foldSegments(n, fold) })) };
}

const SYMBOL: Record<FoldRole, string> = { train: '=', test: '#', excluded: ' ', unused: '.' };
const PRIORITY: Record<FoldRole, number> = { test: 3, train: 2, excluded: 1, unused: 0 };

/**
 * A plain-text picture of the folds, one line per fold: `=` train, `#` test, a space for observations left out next to
 * a test block (gap, purge, embargo), `.` for unused ones. With more observations than `width`, each character
 * stands for a bucket of observations and shows the most important role in it (test, then train, then excluded).
 */
export function drawFolds(layout: FoldLayout, width: number): string {
  const columns = Math.min(width, layout.n);
  const lines = layout.folds.map(({ index, segments }) => {
    const best = new Array<FoldRole>(columns).fill('unused');
    for (const segment of segments) {
      const first = Math.floor((segment.start * columns) / layout.n);
      const last = Math.floor(((segment.end - 1) * columns) / layout.n);
      for (let c = first; c <= last; c++) {
        if (PRIORITY[segment.kind] > PRIORITY[best[c] as FoldRole]) best[c] = segment.kind;
      }
    }
    const label = `fold ${String(index).padStart(2)}`;
    return `${label} |${best.map((k) => SYMBOL[k]).join('')}|`;
  });
  return lines.join('\n');
}
