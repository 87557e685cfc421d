import { describe, expect, it } from 'vitest';
import { type DataRow, toColumns } from '../../src/index.js';

describe('toColumns', () => {
  it('turns rows into Float64Array columns with NaN for missing values', () => {
    const rows: DataRow<'open' | 'close'>[] = [
      { timestamp: 1000, values: { open: 1, close: 2 } },
      { timestamp: 2000, values: { open: null, close: 4 } },
    ];
    const { timestamp, columns, symbol } = toColumns(rows);
    expect(timestamp).toEqual(new Float64Array([1000, 2000]));
    expect(columns.open).toBeInstanceOf(Float64Array);
    expect(Array.from(columns.open)).toEqual([1, Number.NaN]);
    expect(Array.from(columns.close)).toEqual([2, 4]);
    expect(symbol).toBeUndefined();
    expect(Object.keys(toColumns(rows, ['close']).columns)).toEqual(['close']);
  });

  it('keeps symbols when the rows have them', () => {
    const rows = [
      { timestamp: 1, symbol: 'A', values: { x: 1 } },
      { timestamp: 1, symbol: 'B', values: { x: 2 } },
    ];
    expect(toColumns(rows).symbol).toEqual(['A', 'B']);
  });

  it('returns empty columns for no rows', () => {
    expect(toColumns([])).toEqual({ timestamp: new Float64Array(0), columns: {} });
    expect(toColumns([] as DataRow<'x'>[], ['x']).columns.x).toHaveLength(0);
  });

  it('rejects values and timestamps that would be confused with missing ones', () => {
    expect(() => toColumns([{ timestamp: 1, values: { x: Number.NaN } }])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: toColumns rows[0].values.x is NaN; expected a finite number, or null for a missing value]`,
    );
    expect(() => toColumns([{ timestamp: Number.NaN, values: { x: 1 } }])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: toColumns rows[0].timestamp is NaN; expected finite epoch milliseconds]`,
    );
    expect(() => toColumns([{ timestamp: 1, values: { x: '1' as never } }])).toThrow(
      'rows[0].values.x is "1"',
    );
  });

  it('rejects malformed input with a message saying what is expected', () => {
    expect(() => toColumns({} as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: toColumns needs an array of rows ({ timestamp, symbol?, values }), received object]`,
    );
    expect(() => toColumns([null as never])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: toColumns rows[0] must be an object { timestamp, symbol?, values }, received null]`,
    );
    expect(() =>
      toColumns([{ timestamp: 1, values: { x: 1 } }], ['x', 'x']),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: toColumns fields must not repeat a name, received "x", "x"]`,
    );
    expect(() =>
      toColumns([{ timestamp: 1, values: { x: 1 } }], [''] as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: toColumns fields must be an array of field names (non-empty strings)]`,
    );
    expect(() =>
      toColumns([
        { timestamp: 1, symbol: 'A', values: {} },
        { timestamp: 2, values: {} },
      ]),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: toColumns rows[1] has no symbol but rows[0] has one; either every row names its symbol or none does]`,
    );
  });
});
