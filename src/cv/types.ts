/** One train/test split. Indices are ascending positions in the series (0 … n − 1). */
export interface Fold {
  /** The fold's position among the method's folds, from 0. */
  index: number;
  /** Training indices, ascending. */
  train: number[];
  /** Test indices, ascending. */
  test: number[];
  /** For combinatorial purged CV: the test groups of this split, ascending. */
  groups?: number[];
}

/** Per-call inputs of a split that depend on the data rather than on the method. */
export interface SplitInputs {
  /**
   * For each observation i, the last index its label depends on (a 5-bar forward return at i ends at i + 5); must
   * satisfy i <= labelEnd[i] < n. Purging drops training observations whose [i, labelEnd[i]] overlaps a test block.
   * Defaults to i itself (labels that look no further than their own bar).
   */
  labelEnd?: ArrayLike<number>;
  /**
   * Epoch-ms timestamps, strictly increasing, one per observation. Required when sizes are given as durations
   * (`{ ms: … }` or `{ days: … }`); irregular spacing is handled by resolving each window against the timestamps.
   */
  timestamps?: ArrayLike<number>;
}

/** A size given as a count of observations, or as a duration resolved against timestamps. */
export type Size =
  | number
  | {
      /** Days of exactly 86,400,000 ms. */
      days: number;
    }
  | {
      /** Hours of 3,600,000 ms. */
      hours: number;
    }
  | {
      /** Milliseconds. */
      ms: number;
    };

/** One backtest path of combinatorial purged CV: for each group, which split's test predictions fill it. */
export interface CombinatorialPath {
  /** The path's position, from 0. */
  index: number;
  /** One entry per group, in time order. */
  segments: PathSegment[];
}

/** One group of a {@link CombinatorialPath}: which split's test predictions fill it. */
export interface PathSegment {
  /** The group, from 0, in time order. */
  group: number;
  /** The split (a {@link Fold.index}) whose test set covers this group on this path. */
  split: number;
  /** The group's observation indices. */
  indices: number[];
}
