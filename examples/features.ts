/**
 * Features on 20 years of real S&P 500 data: a few indicators on their own, then a versioned FeaturePipeline that
 * builds a feature matrix, a 5-day direction target and the label ends that purged k-fold needs, with the hash a
 * model version would record.
 *
 *   npx tsx examples/features.ts
 */
import {
  adx,
  FeaturePipeline,
  loadSp500,
  macd,
  realizedVolatility,
  rsi,
  TimeSeriesCV,
  toColumns,
} from '../src/index.js';

const rows = await loadSp500();
const { timestamp, columns } = toColumns(rows, ['open', 'high', 'low', 'close', 'volume']);
const bars = { timestamp, ...columns };
const last = bars.close.length - 1;
const day = (i: number) => new Date(timestamp[i] as number).toISOString().slice(0, 10);

// 1. Indicators are pure functions over arrays: NaN until their window fills, then one value per bar.
const r = rsi(bars.close, 14);
const m = macd(bars.close);
const trend = adx(bars, 14);
const vol = realizedVolatility(bars.close, { window: 20 });
console.log(`S&P 500 on ${day(last)}, after ${bars.close.length} daily bars`);
console.log(`  RSI(14) ${r[last]?.toFixed(1)}; first value on ${day(14)} (bars 0–13 are warm-up)`);
console.log(
  `  MACD ${m.line[last]?.toFixed(2)}, signal ${m.signal[last]?.toFixed(2)}, histogram ${m.histogram[last]?.toFixed(2)}`,
);
console.log(
  `  ADX(14) ${trend.adx[last]?.toFixed(1)} (+DI ${trend.plusDI[last]?.toFixed(1)}, −DI ${trend.minusDI[last]?.toFixed(1)})`,
);
console.log(`  20-day realised volatility ${(100 * (vol[last] as number)).toFixed(1)}% a year`);

// 2. A pipeline: named steps, chained features, a target, and a definition with a stable hash.
const pipeline = new FeaturePipeline({
  name: 'sp500-daily',
  version: '1',
  steps: [
    { name: 'ret', feature: 'logReturns' },
    { name: 'retZ', feature: 'rollingZScore', inputs: { values: 'ret' }, params: { window: 20 } },
    { name: 'mom20', feature: 'momentum', params: { period: 20 } },
    { name: 'rsi', feature: 'rsi' },
    { name: 'macd', feature: 'macd' },
    { name: 'bands', feature: 'bollinger' },
    { name: 'adx', feature: 'adx' },
    { name: 'stoch', feature: 'stochastic' },
    { name: 'vol', feature: 'realizedVolatility' },
    { name: 'vwap', feature: 'vwap', params: { window: 20 } },
    { name: 'obv', feature: 'obv' },
    { name: 'dow', feature: 'dayOfWeek' },
    { name: 'month', feature: 'month' },
  ],
  target: { kind: 'direction', horizon: 5 },
});
const built = pipeline.build(bars);
console.log(`\nFeaturePipeline ${pipeline.definition.name} v${pipeline.definition.version}`);
console.log(`  ${built.X.length} rows × ${built.names.length} columns: ${built.names.join(', ')}`);
console.log(
  `  dropped ${built.dropped.warmUp} warm-up rows (set by ${built.dropped.warmUpBy.join(', ')}) and the last ` +
    `${built.dropped.tail} (their 5-day target lies beyond the data)`,
);
const upShare = built.y.reduce((sum, v) => sum + v, 0) / built.y.length;
console.log(`  target: 5-day direction, up ${(100 * upShare).toFixed(1)}% of the time`);
console.log(`  definition hash ${await pipeline.hash()}`);
const restored = FeaturePipeline.fromJSON(JSON.stringify(pipeline.toJSON()));
console.log(`  restored from JSON, same hash: ${(await restored.hash()) === (await pipeline.hash())}`);

// 3. The label ends let purged k-fold drop the training rows whose 5-day labels overlap a test block.
const cv = new TimeSeriesCV({ method: 'purged-kfold', nSplits: 5 });
const plain = cv.split(built.X.length);
const purged = cv.split(built.X.length, { labelEnd: built.labelEnd });
console.log('\nPurged 5-fold CV on the matrix');
for (const [i, fold] of purged.entries()) {
  const lost = (plain[i]?.train.length ?? 0) - fold.train.length;
  console.log(
    `  fold ${i}: ${fold.train.length} training rows (${lost} purged), ${fold.test.length} test rows`,
  );
}
