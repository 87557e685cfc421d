/**
 * Backtesting on 20 years of real S&P 500 bars: a moving-average crossover after fees and slippage against buying
 * and holding, the same crossover with a stop-loss and a trailing stop, a probability-threshold signal from a simple
 * rule, and a sweep over the crossover's lengths with the deflated Sharpe ratio of the best. Every decision is made
 * with a bar's close and filled at the next bar's open (the default).
 *
 *   npx tsx examples/backtest.ts
 */
import {
  Backtester,
  type BacktestStats,
  type Bars,
  loadSp500,
  movingAverageCrossover,
  type PerformanceStats,
  sweep,
  thresholdSignal,
  toColumns,
} from '../src/index.js';

const rows = await loadSp500();
const { timestamp, columns } = toColumns(rows, ['open', 'high', 'low', 'close']);
const bars: Bars = {
  timestamp,
  open: columns.open,
  high: columns.high,
  low: columns.low,
  close: columns.close,
};
const close = columns.close;
const n = close.length;

// 1. Long while the 50-day average of the closes is above the 200-day one, flat otherwise (and until both exist).
const crossover = movingAverageCrossover(bars, { fast: 50, slow: 200 });

// 2. A probability from a simple rule: the share of up days among the last 20. Long at 60% or more, short at 40%
//    or less, and in between keep the position (hold) rather than trade back and forth.
const upShare = Array.from({ length: n }, (_, t) => {
  if (t < 20) return 0.5;
  let up = 0;
  for (let k = t - 19; k <= t; k++) if ((close[k] as number) > (close[k - 1] as number)) up++;
  return up / 20;
});
const momentum = thresholdSignal(upShare, { long: 0.6, short: 0.4, hold: true });

// 3. Costs: 5 bps commission and 2 bps slippage per side, on every change of exposure.
const costs = { fees: { rate: 0.0005 }, slippageBps: 2 };
const plain = new Backtester(costs);
const stopped = new Backtester({ ...costs, stopLoss: 0.05, trailingStop: 0.1 });

const cross = plain.run({ bars, positions: crossover });
const crossStopped = stopped.run({ bars, positions: crossover });
const mom = plain.run({ bars, positions: momentum });

const pct = (v: number, digits = 1) => (Number.isFinite(v) ? `${(100 * v).toFixed(digits)}%` : String(v));
const num = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : String(v));
const header = 'strategy total CAGR vol Sharpe Sortino max_DD trades win in_mkt costs'.split(' ');
const widths = [26, 9, 7, 7, 7, 8, 8, 7, 7, 7, 8];
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' ');

function row(name: string, s: PerformanceStats & Partial<BacktestStats>): string {
  return line([
    name,
    pct(s.totalReturn),
    pct(s.cagr, 2),
    pct(s.annualVolatility),
    num(s.sharpe),
    num(s.sortino),
    pct(s.maxDrawdown),
    s.trades === undefined ? '-' : String(s.trades),
    s.winRate === undefined ? '-' : pct(s.winRate, 0),
    s.exposure === undefined ? '-' : pct(s.exposure, 0),
    s.totalCosts === undefined ? '-' : s.totalCosts.toFixed(0),
  ]);
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
console.log(
  `S&P 500 daily, ${iso(timestamp[0] as number)} to ${iso(timestamp[n - 1] as number)}, ` +
    `${cross.periodsPerYear} periods a year, 10,000 initial capital; fees 5 bps + slippage 2 bps per side\n`,
);
console.log(line(header.map((h) => h.replace('_', ' '))));
console.log(row('buy and hold (no costs)', cross.benchmark));
console.log(row('MA 50/200 crossover', cross.stats));
console.log(row('  + 5% stop, 10% trailing', crossStopped.stats));
console.log(row('up-day share ≥ 60% / ≤ 40%', mom.stats));

const reasons = new Map<string, number>();
for (const t of crossStopped.trades) reasons.set(t.exitReason, (reasons.get(t.exitReason) ?? 0) + 1);
console.log(`\nexits with stops: ${[...reasons].map(([reason, count]) => `${reason} ${count}`).join(', ')}`);
const worst = crossStopped.trades.reduce((a, b) => (b.return < a.return ? b : a));
console.log(
  `worst trade with stops: ${worst.direction} ${iso(worst.entryTime)} at ${worst.entryPrice.toFixed(2)} → ` +
    `${iso(worst.exitTime)} at ${worst.exitPrice.toFixed(2)} (${worst.exitReason}), ${pct(worst.return, 2)}`,
);

// 4. Which lengths work best? Every (fast, slow) pair with fast < slow, ranked by Sharpe ratio — and how likely the
//    best one's edge is real rather than the luck of picking the best of many.
const study = await sweep(
  bars,
  { fast: [5, 10, 20, 50], slow: [50, 100, 150, 200] },
  'moving-average-crossover',
  { backtest: costs, filter: (p) => p.fast < p.slow },
);
console.log(`\nsweep of ${study.trials} crossovers, best by Sharpe:`);
for (const r of study.rows.slice(0, 3)) console.log(row(`  MA ${r.params.fast}/${r.params.slow}`, r.stats));
const dsr = study.deflatedSharpe;
if (dsr)
  console.log(`deflated Sharpe of the best after ${dsr.trials} trials: ${dsr.deflatedSharpe.toFixed(3)}`);
