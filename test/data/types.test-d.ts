import { describe, expectTypeOf, it } from 'vitest';
import {
  ArraySource,
  CsvSource,
  type DataRow,
  type DataSource,
  FallbackSource,
  type FallbackSourceEvents,
  loadSp500,
  type Sp500Field,
  toColumns,
} from '../../src/index.js';

describe('data types', () => {
  it('carries field names from rows to sources, columns and the S&P 500 loader', () => {
    const source = new ArraySource([{ timestamp: 0, values: { close: 1, volume: null } }]);
    expectTypeOf(source.fetch()).resolves.toEqualTypeOf<DataRow<'close' | 'volume'>[]>();
    expectTypeOf(source).toExtend<DataSource<'close' | 'volume'>>();
    expectTypeOf(loadSp500()).resolves.toEqualTypeOf<DataRow<Sp500Field>[]>();
    const rows = [] as DataRow<'open' | 'close'>[];
    expectTypeOf(toColumns(rows, ['close']).columns).toEqualTypeOf<Record<'close', Float64Array>>();
    expectTypeOf(new CsvSource({ path: 'x.csv', fields: ['a', 'b'] }).fetch()).resolves.toEqualTypeOf<
      DataRow<'a' | 'b'>[]
    >();
  });

  it('types the fallback event payload', () => {
    const chain = new FallbackSource([new ArraySource([{ timestamp: 0, values: { x: 1 } }])]);
    chain.on('fallback', (event) => {
      expectTypeOf(event).toEqualTypeOf<FallbackSourceEvents['fallback']>();
      expectTypeOf(event.failed).toBeString();
    });
  });
});
