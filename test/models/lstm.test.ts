import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { loadTensorflow, useBackend } from '../../src/models/lstm/backend.js';
import { LstmModel, type LstmParams, lstm, sequenceWindows } from '../../src/models/lstm/index.js';
import { modelFromJSON, registerModel } from '../../src/models/registry.js';
import { expectInvalid, rejection } from '../helpers.js';

/** A small series: two noisy features and a target that depends on the current and the previous row. */
function series(n: number, seed: number): { X: number[][]; y: number[]; labels: number[] } {
  const rng = new Random(seed);
  const X = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
  const y = X.map((row, t) => 0.8 * (row[0] as number) + 0.5 * ((X[t - 1] ?? [0, 0])[1] as number));
  return { X, y, labels: y.map((v) => (v > 0 ? 1 : 0)) };
}

// Tiny networks and few epochs keep each fit well under a second on the cpu backend.
const tiny: LstmParams = { lookback: 3, units: 4, epochs: 3, batchSize: 16, learningRate: 0.01, seed: 1 };
const cpu = { backend: 'cpu' } as const;

describe('sequenceWindows', () => {
  it('cuts the window ending at each row from that row and the lookback − 1 before it', () => {
    const w = sequenceWindows(
      [
        [1, 10],
        [2, 20],
        [3, 30],
        [4, 40],
      ],
      3,
    );
    expect(w.count).toBe(2);
    expect(w.features).toBe(2);
    expect(Array.from(w.endRows)).toEqual([2, 3]);
    expect(Array.from(w.values)).toEqual([1, 10, 2, 20, 3, 30, 2, 20, 3, 30, 4, 40]);
  });

  it('gives no window for a matrix shorter than the lookback', () => {
    expect(sequenceWindows([[1], [2]], 3).count).toBe(0);
  });

  it('rejects a lookback that is not a positive integer', () => {
    expectInvalid(
      () => sequenceWindows([[1]], 0),
      'sequenceWindows: lookback must be a positive integer, received 0',
    );
  });
});

describe('lstm', () => {
  it('predicts one value per row, NaN for the first lookback − 1 rows', async () => {
    const { X, y } = series(60, 1);
    const model = await lstm(tiny, cpu).fit(X, y);
    const predictions = await model.predict(X);
    expect(predictions).toHaveLength(60);
    expect(Array.from(predictions.slice(0, 2))).toEqual([Number.NaN, Number.NaN]);
    expect(Array.from(predictions.slice(2)).every(Number.isFinite)).toBe(true);
    expect(model.predictProba).toBeUndefined();
    expect(model.history).toHaveLength(3);
  });

  it('leaves no TensorFlow.js tensors behind once disposed', async () => {
    const tf = await import('@tensorflow/tfjs');
    const { X, y } = series(40, 8);
    const before = tf.memory().numTensors;
    const model = await lstm(tiny, cpu).fit(X, y);
    await model.predict(X);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('never looks ahead: changing rows after t leaves the prediction at t as it was', async () => {
    const { X, y } = series(60, 2);
    const model = await lstm(tiny, cpu).fit(X, y);
    const before = await model.predict(X);
    for (const t of [2, 17, 40]) {
      const perturbed = X.map((row, i) => (i > t ? row.map((v) => v * -3 + 7) : row));
      const after = await model.predict(perturbed);
      expect(Array.from(after.slice(0, t + 1))).toEqual(Array.from(before.slice(0, t + 1)));
      expect(after[t + 1]).not.toBe(before[t + 1]);
    }
  });

  it('classifies with a sigmoid head: predict is predictProba > 0.5', async () => {
    const { X, labels } = series(60, 3);
    const model = await lstm({ ...tiny, task: 'classification' }, cpu).fit(X, labels);
    const p = (await model.predictProba?.(X)) ?? new Float64Array();
    const classes = await model.predict(X);
    expect(p).toHaveLength(60);
    for (let t = 2; t < 60; t++) {
      expect(p[t]).toBeGreaterThan(0);
      expect(p[t]).toBeLessThan(1);
      expect(classes[t]).toBe((p[t] as number) > 0.5 ? 1 : 0);
    }
  });

  it('trains the same network from the same seed, and another from another seed', async () => {
    const { X, y } = series(60, 4);
    const params = { ...tiny, dropout: 0.2, recurrentDropout: 0.1 };
    const a = await (await lstm(params, cpu).fit(X, y)).predict(X);
    const b = await (await lstm(params, cpu).fit(X, y)).predict(X);
    const c = await (await lstm({ ...params, seed: 2 }, cpu).fit(X, y)).predict(X);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('stops early and keeps the weights of the epoch with the lowest validation loss', async () => {
    // Noise targets and a large step: the validation loss wanders, so the last epoch is not the best.
    const rng = new Random(9);
    const X = Array.from({ length: 80 }, () => [rng.normal(), rng.normal()]);
    const y = X.map(() => rng.normal());
    const params = { ...tiny, epochs: 12, patience: 12, learningRate: 0.05, validationShare: 0.25 };
    const model = await lstm(params, cpu).fit(X, y);
    const losses = model.history.map((e) => e.validationLoss as number);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(model.bestEpoch).toBe(best);
    expect(best).toBeLessThan(losses.length);
    // The restored network's loss on the tail (the last ⌊0.25 · 78⌋ = 19 windows) is the best epoch's.
    const predictions = await model.predict(X);
    let sum = 0;
    for (let t = 80 - 19; t < 80; t++) sum += ((predictions[t] as number) - (y[t] as number)) ** 2;
    expect(sum / 19).toBeCloseTo(losses[best - 1] as number, 6);
    expect(sum / 19).toBeLessThan(losses.at(-1) as number);

    const patient = await lstm({ ...params, patience: 2 }, cpu).fit(X, y);
    expect(patient.history.length).toBeLessThanOrEqual(patient.bestEpoch + 2);
  });

  it('restores from JSON with its weights and predicts exactly the same', async () => {
    const { X, labels } = series(60, 5);
    const model = await lstm({ ...tiny, task: 'classification', layers: 2 }, cpu).fit(X, labels);
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(json.kind).toBe('lstm');
    const copy = LstmModel.fromJSON(json, cpu);
    expect(Array.from((await copy.predictProba?.(X)) ?? [])).toEqual(
      Array.from((await model.predictProba?.(X)) ?? []),
    );
    expect(copy.bestEpoch).toBe(model.bestEpoch);
    expect(copy.toJSON()).toEqual(json);
    // Registered, the generic modelFromJSON restores it too.
    registerModel('lstm', LstmModel.fromJSON);
    const restored = modelFromJSON(json);
    expect(restored).toBeInstanceOf(LstmModel);
    expect(Array.from(await restored.predict(X))).toEqual(Array.from(await model.predict(X)));
  });

  it('reports the backend it runs on: wasm by default here, cpu when asked', async () => {
    const { X, y } = series(30, 6);
    const model = await lstm(tiny).fit(X, y);
    expect([model.backend, model.backendReason]).toEqual(['wasm', undefined]);
    const onCpu = await lstm(tiny, cpu).fit(X, y);
    expect([onCpu.backend, onCpu.backendReason]).toEqual(['cpu', undefined]);
  });

  it('falls back to cpu with a reason when the wasm backend is missing or tfjs-node is asked for', async () => {
    const missing = () => Promise.reject(Object.assign(new Error('gone'), { code: 'ERR_MODULE_NOT_FOUND' }));
    const tfjs = () => import('@tensorflow/tfjs');
    const noWasm = await useBackend('wasm', undefined, { tfjs, wasm: missing, tfjsNode: missing });
    expect(noWasm.choice).toEqual({
      backend: 'cpu',
      reason: '@tensorflow/tfjs-backend-wasm is not installed (npm install @tensorflow/tfjs-backend-wasm)',
    });
    expect(noWasm.tf.getBackend()).toBe('cpu');
    const noNode = await useBackend('tensorflow', undefined, { tfjs, wasm: missing, tfjsNode: missing });
    expect(noNode.choice.reason).toBe(
      '@tensorflow/tfjs-node is not installed; @tensorflow/tfjs-backend-wasm is not installed (npm install @tensorflow/tfjs-backend-wasm)',
    );
  });

  it('falls back to cpu and logs why when the wasm backend fails to start', () => {
    // A failed wasm start cannot be undone in a process, so it runs in its own.
    const dir = mkdtempSync(join(tmpdir(), 'mlcycle-lstm-'));
    const entry = fileURLToPath(new URL('../../src/models/lstm/index.ts', import.meta.url));
    const script = join(dir, 'fallback.mts');
    writeFileSync(
      script,
      `import { lstm } from ${JSON.stringify(entry)};
const warnings: string[] = [];
const model = lstm({ lookback: 2, units: 2, epochs: 1 }, {
  backend: 'wasm', wasmPaths: '/nonexistent/', logger: { warn: (_facts, message) => warnings.push(message) },
});
await model.fit([[1], [2], [3], [4], [5]], [1, 2, 3, 4, 5]);
console.log('RESULT ' + JSON.stringify({ backend: model.backend, reason: model.backendReason, warnings }));
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT ')) ?? `none: ${run.stderr}`;
    const reason = 'the wasm backend did not start (its .wasm files were looked for in /nonexistent/)';
    expect(JSON.parse(line.slice('RESULT '.length))).toEqual({
      backend: 'cpu',
      reason,
      warnings: [`lstm runs on the cpu backend: ${reason}`],
    });
  }, 90_000);

  it('says which package to install when TensorFlow.js is missing', async () => {
    const error = await rejection(
      loadTensorflow(() =>
        Promise.reject(Object.assign(new Error('gone'), { code: 'ERR_MODULE_NOT_FOUND' })),
      ),
    );
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe(
      'lstm needs the optional peer dependency @tensorflow/tfjs, which is not installed: npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm',
    );
  });

  it('rejects bad params with the option named', () => {
    expectInvalid(
      () => lstm({ lookback: 0 }),
      'Invalid lstm params: lookback: Too small: expected number to be >=1 (received 0)',
    );
    expectInvalid(
      () => lstm({ dropout: 1 }),
      'Invalid lstm params: dropout: Too big: expected number to be <1 (received 1)',
    );
    expectInvalid(
      () => lstm({ task: 'ranking' as 'regression' }),
      'Invalid lstm params: task: Invalid option: expected one of "classification"|"regression" (received "ranking")',
    );
    expectInvalid(
      () => lstm({}, { backend: 'gpu' as 'cpu' }),
      'Invalid lstm options: backend: Invalid option: expected one of "auto"|"tensorflow"|"wasm"|"cpu" (received "gpu")',
    );
  });

  it('rejects bad inputs with what was wrong', async () => {
    const { X, y } = series(10, 7);
    const classifier = lstm({ ...tiny, task: 'classification' }, cpu);
    let error = await rejection(classifier.fit(X, [0, 2, ...y.slice(2)]));
    expect([error.code, error.message]).toEqual([
      'INVALID_ARGUMENT',
      'lstm: y[1] is 2; labels must be 0 or 1',
    ]);
    error = await rejection(lstm({ ...tiny, lookback: 5 }, cpu).fit(X.slice(0, 5), y.slice(0, 5)));
    expect([error.code, error.message]).toEqual([
      'INSUFFICIENT_DATA',
      'lstm needs at least 6 rows for lookback 5 and a validation tail, received 5',
    ]);
    error = await rejection(lstm(tiny, cpu).predict(X));
    expect(error.message).toBe('lstm is not fitted: call fit(X, y) before predict');
    expectInvalid(() => lstm(tiny).toJSON(), 'lstm is not fitted: call fit(X, y) before toJSON');
    const model = await lstm(tiny, cpu).fit(X, y);
    error = await rejection(model.predict([[1, 2, 3]]));
    expect(error.message).toBe('lstm: X[0] has 3 features but the model was fitted on 2');
    const json = model.toJSON();
    expectInvalid(
      () => LstmModel.fromJSON({ ...json, params: { ...json.params, units: 5 } }),
      'lstm state does not match its params: 1 layer(s) of 5 units over 2 features need weight shapes [2,20] [5,20] [20] [5,1] [1] and 2 scaler entries',
    );
    expectInvalid(
      () => LstmModel.fromJSON({ ...json, kind: 'ridge' }),
      'Expected a lstm model\'s JSON, received kind "ridge"',
    );
  });
});
