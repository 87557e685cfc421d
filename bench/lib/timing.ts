/** Timing helpers shared by the benchmark programs: medians of repeated runs after one warm-up. */

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `fn` once to warm up (the JIT's first compile is not what a long-running service sees), then `runs` times. */
export function timed<T>(fn: () => T, runs: number): { ms: number; value: T } {
  let value = fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = fn();
    times.push(performance.now() - start);
  }
  return { ms: median(times), value };
}

/** {@link timed} for an asynchronous `fn`, each run awaited before the next. */
export async function timedAsync<T>(fn: () => Promise<T>, runs: number): Promise<{ ms: number; value: T }> {
  let value = await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = await fn();
    times.push(performance.now() - start);
  }
  return { ms: median(times), value };
}
