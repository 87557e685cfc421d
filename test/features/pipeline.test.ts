import { describe, expect, it } from 'vitest';
import { FeaturePipeline, type PipelineDefinition, sha256Hex, TimeSeriesCV } from '../../src/index.js';
import { loadReferenceCases } from '../fixtures/reference.js';

type Bars = Record<'timestamp' | 'open' | 'high' | 'low' | 'close' | 'volume', number[]>;
const bars = loadReferenceCases('features').find((c) => c.fn === 'bars' && c.args.label === 'main')
  ?.expected as Bars;

const definition: PipelineDefinition = {
  name: 'momentum',
  version: '3',
  steps: [
    { name: 'ret', feature: 'logReturns' },
    { name: 'vol', feature: 'realizedVolatility', params: { window: 10 } },
    { name: 'bands', feature: 'bollinger' },
    { name: 'dow', feature: 'dayOfWeek' },
  ],
  target: { kind: 'forwardReturn', horizon: 5 },
};

describe('FeaturePipeline', () => {
  it('spells out every default in its definition', () => {
    const pipeline = new FeaturePipeline(definition);
    expect(pipeline.toJSON()).toEqual({
      name: 'momentum',
      version: '3',
      steps: [
        { name: 'ret', feature: 'logReturns', params: {}, inputs: { values: 'close' } },
        {
          name: 'vol',
          feature: 'realizedVolatility',
          params: { window: 10, periodsPerYear: 252 },
          inputs: { close: 'close' },
        },
        {
          name: 'bands',
          feature: 'bollinger',
          params: { period: 20, multiplier: 2, ddof: 1 },
          inputs: { values: 'close' },
        },
        { name: 'dow', feature: 'dayOfWeek', params: {}, inputs: { timestamps: 'timestamp' } },
      ],
      target: { kind: 'forwardReturn', horizon: 5 },
    });
  });

  it('hashes the canonical JSON of the resolved definition', async () => {
    const pipeline = new FeaturePipeline(definition);
    const json = pipeline.toJSON();
    const canonical =
      '{"name":"momentum","steps":[' +
      '{"feature":"logReturns","inputs":{"values":"close"},"name":"ret","params":{}},' +
      '{"feature":"realizedVolatility","inputs":{"close":"close"},"name":"vol","params":{"periodsPerYear":252,"window":10}},' +
      '{"feature":"bollinger","inputs":{"values":"close"},"name":"bands","params":{"ddof":1,"multiplier":2,"period":20}},' +
      '{"feature":"dayOfWeek","inputs":{"timestamps":"timestamp"},"name":"dow","params":{}}],' +
      '"target":{"horizon":5,"kind":"forwardReturn"},"version":"3"}';
    expect(await pipeline.hash()).toBe(await sha256Hex(canonical));
    // Restored from JSON (or a JSON string), and with the defaults written out: the same definition, the same hash.
    expect(await FeaturePipeline.fromJSON(json).hash()).toBe(await pipeline.hash());
    expect(await FeaturePipeline.fromJSON(JSON.stringify(json)).hash()).toBe(await pipeline.hash());
  });

  it('changes the hash when a parameter, an input, the target or the version changes', async () => {
    const base = await new FeaturePipeline(definition).hash();
    const variants: PipelineDefinition[] = [
      { ...definition, version: '4' },
      { ...definition, target: { kind: 'forwardReturn', horizon: 4 } },
      { ...definition, steps: [{ name: 'ret', feature: 'logReturns', inputs: { values: 'open' } }] },
      {
        ...definition,
        steps: [...definition.steps.slice(0, 1), { name: 'vol', feature: 'realizedVolatility' }],
      },
    ];
    const hashes = await Promise.all(variants.map((v) => new FeaturePipeline(v).hash()));
    expect(new Set([base, ...hashes]).size).toBe(5);
  });

  it('drops the warm-up and the tail and reports why', () => {
    const built = new FeaturePipeline(definition).build(bars);
    expect(built.names).toEqual(['ret', 'vol', 'bands.middle', 'bands.upper', 'bands.lower', 'dow']);
    expect(built.dropped).toEqual({
      warmUp: 19,
      warmUpBy: ['bands.middle', 'bands.upper', 'bands.lower'],
      firstValid: { ret: 1, vol: 10, 'bands.middle': 19, 'bands.upper': 19, 'bands.lower': 19, dow: 0 },
      tail: 5,
    });
    expect(built.y.length).toBe(bars.close.length - 19 - 5);
    expect(built.barIndex[0]).toBe(19);
    // The h-bar forward return of the first row, from the closes themselves.
    expect(built.y[0]).toBe((bars.close[24] as number) / (bars.close[19] as number) - 1);
  });

  it('gives label ends that purged k-fold accepts and that purge the overlapping rows', () => {
    const built = new FeaturePipeline(definition).build(bars);
    const n = built.y.length;
    expect(built.labelEnd[0]).toBe(5);
    expect(built.labelEnd[n - 1]).toBe(n - 1);
    expect(built.labelEnd[n - 6]).toBe(n - 1);
    const cv = new TimeSeriesCV({ method: 'purged-kfold', nSplits: 4 });
    const folds = cv.split(n, { labelEnd: built.labelEnd });
    const second = folds[1];
    const testStart = second?.test[0] as number;
    // Rows whose 5-bar labels reach into the test block are purged from training.
    for (let i = testStart - 5; i < testStart; i++) expect(second?.train).not.toContain(i);
    expect(second?.train).toContain(testStart - 6);
  });

  it('builds the same columns with or without the row arrays', () => {
    const pipeline = new FeaturePipeline(definition);
    const columns = pipeline.buildColumns(bars);
    const full = pipeline.build(bars);
    expect(full.columns).toEqual(columns.columns);
    expect(full.X[100]).toEqual(columns.columns.map((c) => c[100]));
  });
});
