import { describe, expect, it, vi } from 'vitest';

vi.mock('node:module', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:module')>();
  const createRequire = (base: string | URL) => {
    const require = actual.createRequire(base);
    const resolve = (id: string) => {
      if (id === 'vega-datasets')
        throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      return require.resolve(id);
    };
    return Object.assign(require, { resolve });
  };
  return { ...actual, createRequire, default: { ...actual, createRequire } };
});

describe('loadSp500 without vega-datasets', () => {
  it('throws NOT_FOUND saying how to install it or pass a path', async () => {
    const { loadSp500 } = await import('../../src/index.js');
    await expect(loadSp500()).rejects.toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Cannot find the vega-datasets package holding the S&P 500 file; run \`npm install --save-dev vega-datasets\` or pass loadSp500({ path }) pointing at a copy of sp500-2000.csv]`,
    );
    await expect(loadSp500()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
