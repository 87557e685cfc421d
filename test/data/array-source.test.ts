import { describe, expect, it } from 'vitest';
import { ArraySource, type DataRowInput, MlcycleError } from '../../src/index.js';

const day = (d: number): number => Date.UTC(2024, 0, d);

function bars(): DataRowInput<'close'>[] {
  return [
    { timestamp: day(2), values: { close: 100 } },
    { timestamp: new Date(day(3)), values: { close: null } },
    { timestamp: '2024-01-04', values: { close: 102 } },
    { timestamp: day(5), values: { close: 103 } },
  ];
}

describe('ArraySource', () => {
  it('serves every row, with Dates and ISO strings converted to epoch ms', async () => {
    const source = new ArraySource(bars());
    expect(source.name).toBe('array');
    expect(source.size).toBe(4);
    const rows = await source.fetch();
    expect(rows.map((r) => r.timestamp)).toEqual([day(2), day(3), day(4), day(5)]);
    expect(rows[1]).toEqual({ timestamp: day(3), values: { close: null } });
  });

  it('treats the query as the half-open range [from, to)', async () => {
    const source = new ArraySource(bars());
    const rows = await source.fetch({ from: '2024-01-03', to: new Date(day(5)) });
    expect(rows.map((r) => r.timestamp)).toEqual([day(3), day(4)]);
    expect(await source.fetch({ from: day(5) })).toHaveLength(1);
    expect(await source.fetch({ to: day(2) })).toEqual([]);
    expect(await source.fetch({ from: day(4), to: day(4) })).toEqual([]);
    expect(await source.fetch({ from: day(9) })).toEqual([]);
  });

  it('filters by symbol and orders rows by timestamp, then symbol', async () => {
    const source = new ArraySource([
      { timestamp: day(2), symbol: 'AAPL', values: { close: 185 } },
      { timestamp: day(2), symbol: 'MSFT', values: { close: 370 } },
      { timestamp: day(3), symbol: 'AAPL', values: { close: 184 } },
      { timestamp: day(3), symbol: 'MSFT', values: { close: 371 } },
    ]);
    const msft = await source.fetch({ symbols: ['MSFT'] });
    expect(msft.map((r) => [r.symbol, r.values.close])).toEqual([
      ['MSFT', 370],
      ['MSFT', 371],
    ]);
    expect(await source.fetch({ symbols: ['GOOG'] })).toEqual([]);
  });

  it('drops rows without a symbol when symbols are requested', async () => {
    expect(await new ArraySource(bars()).fetch({ symbols: ['SPX'] })).toEqual([]);
  });

  it('copies rows in and out, so callers cannot change what it serves', async () => {
    const input = bars();
    const source = new ArraySource(input);
    (input[0] as DataRowInput<'close'>).values.close = -1;
    const first = await source.fetch();
    (first[0] as { values: { close: number | null } }).values.close = -2;
    expect((await source.fetch())[0]?.values.close).toBe(100);
  });

  it('sorts a copy when asked, and still rejects duplicates', async () => {
    const shuffled = [bars()[2], bars()[0], bars()[3], bars()[1]] as DataRowInput<'close'>[];
    const rows = await new ArraySource(shuffled, { sort: true, name: 'shuffled' }).fetch();
    expect(rows.map((r) => r.timestamp)).toEqual([day(2), day(3), day(4), day(5)]);
    expect(
      () => new ArraySource([bars()[1], bars()[0], bars()[1]] as DataRowInput[], { sort: true }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[2] duplicates ArraySource rows[0]: both are 2024-01-03; each (timestamp, symbol) pair may appear only once]`,
    );
  });

  it('rejects rows out of order, naming both rows and suggesting sort: true', () => {
    expect(
      () => new ArraySource([bars()[1], bars()[0]] as DataRowInput[]),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Rows must be sorted by timestamp then symbol, but ArraySource rows[1] (2024-01-02) comes after ArraySource rows[0] (2024-01-03); sort them first or pass sort: true]`,
    );
  });

  it('rejects a repeated (timestamp, symbol) pair', () => {
    expect(
      () =>
        new ArraySource([
          { timestamp: day(2), symbol: 'A', values: { x: 1 } },
          { timestamp: day(2), symbol: 'B', values: { x: 1 } },
          { timestamp: day(2), symbol: 'B', values: { x: 2 } },
        ]),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[2] duplicates ArraySource rows[1]: both are 2024-01-02, symbol "B"; each (timestamp, symbol) pair may appear only once]`,
    );
  });

  it('names the offending row and value for malformed rows', () => {
    const bad = (rows: unknown) => () => new ArraySource(rows as DataRowInput[]);
    expect(bad('rows')).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows must be an array of rows ({ timestamp, symbol?, values }), received string]`,
    );
    expect(bad([null])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[0] must be an object { timestamp, symbol?, values }, received null]`,
    );
    expect(bad([{ timestamp: Number.NaN, values: {} }])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[0].timestamp must be epoch milliseconds, a valid Date or an ISO 8601 string, received NaN]`,
    );
    expect(bad([{ timestamp: 'soon', values: {} }])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[0].timestamp must be epoch milliseconds, a valid Date or an ISO 8601 string, received "soon"]`,
    );
    expect(bad([{ timestamp: 0, values: { x: Number.NaN } }])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[0].values.x is NaN; expected a finite number, or null for a missing value]`,
    );
    expect(bad([{ timestamp: 0, values: { x: '1.5' } }])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[0].values.x is "1.5"; expected a finite number, or null for a missing value]`,
    );
    expect(bad([{ timestamp: 0, values: { x: Number.POSITIVE_INFINITY } }])).toThrow(
      'ArraySource rows[0].values.x is Infinity',
    );
    expect(bad([{ timestamp: 0, values: [1] }])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[0].values must be an object of field values, received an array]`,
    );
    expect(
      bad([
        { timestamp: 0, values: { x: 1, y: 2 } },
        { timestamp: 1, values: { x: 1 } },
      ]),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[1].values has no "y", which ArraySource rows[0] has; every row must have the same fields (use null for a missing value)]`,
    );
    expect(
      bad([
        { timestamp: 0, values: { x: 1 } },
        { timestamp: 1, values: { x: 1, z: 3 } },
      ]),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[1].values has "z", which ArraySource rows[0] does not have; every row must have the same fields]`,
    );
    expect(
      bad([
        { timestamp: 0, symbol: 'A', values: {} },
        { timestamp: 1, values: {} },
      ]),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[1] has no symbol but ArraySource rows[0] has one; either every row names its symbol or none does]`,
    );
    expect(bad([{ timestamp: 0, symbol: '', values: {} }])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource rows[0].symbol must be a non-empty string when given, received ""]`,
    );
  });

  it('validates its options and queries', async () => {
    expect(() => new ArraySource([], { sorted: true } as never)).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid ArraySource options: Unrecognized key: "sorted"]`,
    );
    const source = new ArraySource(bars(), { name: 'bars' });
    await expect(source.fetch({ from: day(5), to: day(2) })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource "bars" query.from (2024-01-05) must not be after query.to (2024-01-02); the range is [from, to)]`,
    );
    await expect(source.fetch({ from: 'last week' })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: ArraySource "bars" query.from must be epoch milliseconds, a valid Date or an ISO 8601 string, received "last week"]`,
    );
    await expect(source.fetch({ symbols: [] })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid ArraySource "bars" query: symbols: list at least one symbol, or omit symbols to fetch every symbol (received an array of 0)]`,
    );
    await expect(source.fetch({ since: day(2) } as never)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid ArraySource "bars" query: Unrecognized key: "since"]`,
    );
    await expect(source.fetch({ from: day(9) })).resolves.toEqual([]);
  });

  it('throws MlcycleError with code INVALID_ARGUMENT and the row index in details', () => {
    try {
      new ArraySource([{ timestamp: 0, values: { x: Number.NaN } }]);
      expect.unreachable();
    } catch (error) {
      expect(MlcycleError.is(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as MlcycleError).details).toEqual({ index: 0 });
    }
  });
});
