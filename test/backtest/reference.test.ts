import { describe, expect, it } from 'vitest';
import { Backtester } from '../../src/index.js';
import { close, loadReferenceCases } from '../fixtures/reference.js';

// Close-execution backtests against the numpy reference in test/fixtures/fixture_backtest.py (closed form of the
// equity recurrence; a bar-by-bar loop only with a minimum commission). Regenerate with
// `/usr/bin/python3 test/fixtures/make-metrics.py backtest`.

interface CaseOptions {
  initialCapital: number;
  fees: { rate: number; fixed: number; minimum?: number };
  slippageBps: number;
  spreadBps: number;
  periodsPerYear: number;
  riskFreeRate: number;
  maxLeverage: number;
}

interface CaseArgs {
  regime: string;
  options: CaseOptions;
  timestampStart: number;
  timestampStep: number;
  close: number[];
  positions: number[];
}

interface CaseExpected {
  equity: number[];
  returns: number[];
  drawdown: number[];
  stats: Record<string, number>;
  benchmark: Record<string, number>;
}

const cases = loadReferenceCases('backtest').map((c) => ({
  args: c.args as unknown as CaseArgs,
  expected: c.expected as CaseExpected,
}));

/** Every disagreement between `actual` and `expected` in one case, each naming the case and the field. */
function mismatches(index: number, args: CaseArgs, expected: CaseExpected): string[] {
  const { options } = args;
  const n = args.close.length;
  const result = new Backtester({
    initialCapital: options.initialCapital,
    fees: options.fees,
    slippageBps: options.slippageBps,
    spreadBps: options.spreadBps,
    execution: 'close',
    periodsPerYear: options.periodsPerYear,
    riskFreeRate: options.riskFreeRate,
    maxLeverage: options.maxLeverage,
  }).run({
    bars: {
      timestamp: Array.from({ length: n }, (_, t) => args.timestampStart + t * args.timestampStep),
      close: args.close,
    },
    positions: args.positions,
  });

  const problems: string[] = [];
  const compare = (field: string, actual: number | undefined, want: number): void => {
    if (actual === undefined || !close(actual, want, 1e-9)) {
      problems.push(`case ${index} (${args.regime}, n = ${n}) ${field}: got ${actual}, expected ${want}`);
    }
  };
  for (const field of ['equity', 'returns', 'drawdown'] as const) {
    const actual = result[field];
    if (actual.length !== n) {
      problems.push(`case ${index} ${field}: length ${actual.length}, expected ${n}`);
      continue;
    }
    for (const [t, want] of expected[field].entries()) compare(`${field}[${t}]`, actual[t], want);
  }
  const stats = result.stats as unknown as Record<string, number | undefined>;
  const benchmark = result.benchmark as unknown as Record<string, number | undefined>;
  for (const [key, want] of Object.entries(expected.stats)) compare(`stats.${key}`, stats[key], want);
  for (const [key, want] of Object.entries(expected.benchmark))
    compare(`benchmark.${key}`, benchmark[key], want);
  return problems.slice(0, 20);
}

describe("Backtester with execution 'close' against the numpy reference", () => {
  it('has enough reference cases, with and without a minimum commission, to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(cases.filter((c) => c.args.options.fees.minimum !== undefined).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.args.options.fees.fixed > 0).length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c, i) => [i, c.args.regime, c.args.close.length, c] as const))(
    'case %i: %s positions over %i bars',
    (i, _regime, _n, c) => {
      expect(mismatches(i, c.args, c.expected)).toEqual([]);
    },
  );
});
