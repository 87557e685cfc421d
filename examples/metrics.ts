/**
 * Metrics and statistics on 20 years of real S&P 500 data: the index's own risk and return figures, whether a calm
 * year and a crisis year come from the same distribution, and how well a naive momentum signal ranks the next day.
 *
 *   npx tsx examples/metrics.ts
 */
import {
  annualVolatility,
  benjaminiHochberg,
  brierScore,
  cagr,
  conditionalValueAtRisk,
  deflatedSharpeRatio,
  ks2Sample,
  loadSp500,
  mannWhitneyU,
  maxDrawdown,
  probabilisticSharpeRatio,
  psi,
  rocAuc,
  sharpeRatio,
  sortinoRatio,
  toColumns,
  valueAtRisk,
  wasserstein,
  welchTTest,
} from '../src/index.js';

const rows = await loadSp500();
const { timestamp, columns } = toColumns(rows, ['close']);
const returns: number[] = [];
const years: number[] = [];
for (let t = 1; t < columns.close.length; t++) {
  returns.push((columns.close[t] as number) / (columns.close[t - 1] as number) - 1);
  years.push(new Date(timestamp[t] as number).getUTCFullYear());
}

// 1. Risk and return of buying and holding the index (empyrical's conventions, 252 periods a year).
const drawdown = maxDrawdown(returns);
const iso = (i: number) => new Date(timestamp[i + 1] as number).toISOString().slice(0, 10);
console.log('S&P 500, daily, 2000–2020');
console.log(
  `  CAGR ${(100 * cagr(returns)).toFixed(2)}%, volatility ${(100 * annualVolatility(returns)).toFixed(1)}%`,
);
console.log(
  `  Sharpe ${sharpeRatio(returns, { riskFreeRate: 0.02 }).toFixed(3)} (rf 2%), Sortino ${sortinoRatio(returns).toFixed(3)}`,
);
console.log(
  `  max drawdown ${(100 * drawdown.maxDrawdown).toFixed(1)}% from ${iso(drawdown.peakIndex)} to ${iso(drawdown.troughIndex)}`,
);
console.log(
  `  1-day 95% VaR ${(100 * valueAtRisk(returns)).toFixed(2)}%, CVaR ${(100 * conditionalValueAtRisk(returns)).toFixed(2)}%`,
);
console.log(`  probabilistic Sharpe (P[true Sharpe > 0]) ${probabilisticSharpeRatio(returns).toFixed(3)}`);
const dsr = deflatedSharpeRatio(returns, { trials: 100, sharpeVariance: 0.0005 });
console.log(`  deflated Sharpe after 100 tried variants ${dsr.deflatedSharpe.toFixed(3)}`);

// 2. Did the return distribution change? Calm 2006 against crisis 2008.
const ofYear = (year: number) => returns.filter((_, i) => years[i] === year);
const calm = ofYear(2006);
const crisis = ofYear(2008);
const ks = ks2Sample(calm, crisis);
const tests = {
  'KS (exact)': ks.pValue,
  'Mann–Whitney U': mannWhitneyU(calm, crisis).pValue,
  'Welch t': welchTTest(calm, crisis).pValue,
};
const adjusted = benjaminiHochberg(Object.values(tests));
console.log('\n2006 against 2008 daily returns');
console.log(`  KS statistic ${ks.statistic.toFixed(3)} (${ks.method})`);
Object.entries(tests).forEach(([name, p], i) => {
  console.log(
    `  ${name.padEnd(15)} p = ${p.toExponential(2)}, Benjamini–Hochberg ${adjusted[i]?.toExponential(2)}`,
  );
});
console.log(
  `  PSI ${psi(calm, crisis).value.toFixed(3)}, Wasserstein ${wasserstein(calm, crisis).toFixed(5)}`,
);

// 3. Does yesterday's move rank tomorrow's direction? A probability from a squashed 5-day momentum.
const labels: number[] = [];
const probabilities: number[] = [];
for (let t = 5; t < returns.length - 1; t++) {
  const momentum = returns.slice(t - 4, t + 1).reduce((a, b) => a + b, 0);
  probabilities.push(1 / (1 + Math.exp(-20 * momentum)));
  labels.push((returns[t + 1] as number) > 0 ? 1 : 0);
}
console.log('\nNext-day direction from 5-day momentum');
console.log(
  `  ROC AUC ${rocAuc(labels, probabilities).toFixed(4)} (0.5 = no skill), Brier ${brierScore(labels, probabilities).toFixed(4)}`,
);
