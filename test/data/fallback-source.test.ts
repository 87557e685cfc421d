import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ArraySource,
  CsvSource,
  type DataRow,
  type DataSource,
  FallbackSource,
  type FallbackSourceEvents,
  HttpJsonSource,
  ManualClock,
} from '../../src/index.js';
import { rejection } from '../helpers.js';
import { closedPort, FEED, json, parseFeed, startServer, type TestServer } from './http-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const day = (d: number): number => Date.UTC(2024, 0, d);

/** A source that counts its calls and answers with `answer`. */
function stub(name: string, answer: () => Promise<DataRow[]>): DataSource & { calls: number } {
  const source = {
    name,
    calls: 0,
    fetch: async () => {
      source.calls++;
      return answer();
    },
  };
  return source;
}

describe('FallbackSource', () => {
  it('serves from the secondary server when the primary is down, and says so', async () => {
    const secondary = await startServer((_req, res) => json(res, FEED));
    servers.push(secondary);
    const clock = new ManualClock(0);
    const primary = new HttpJsonSource({
      name: 'primary',
      url: await closedPort(),
      parse: parseFeed,
      retries: 2,
      clock,
      seed: 1,
    });
    const backup = new HttpJsonSource({ name: 'backup', url: secondary.url, parse: parseFeed, clock });
    const chain = new FallbackSource([primary, backup]);
    const events: FallbackSourceEvents['fallback'][] = [];
    chain.on('fallback', (e) => events.push(e));

    const report = await chain.fetchWithReport({ from: '2024-01-03' });
    expect(report.servedBy).toBe('backup');
    expect(report.rows.map((r) => r.timestamp)).toEqual([day(3), day(4)]);
    expect(report.attempts.map((a) => [a.source, a.ok])).toEqual([
      ['primary', false],
      ['backup', true],
    ]);
    expect(report.attempts[0]?.error).toMatch(
      /failed after 3 attempts: network error: fetch failed \(ECONNREFUSED\)/,
    );
    expect(report.attempts.every((a) => a.durationMs >= 0)).toBe(true);
    expect(events).toEqual([{ failed: 'primary', next: 'backup', error: report.attempts[0]?.error }]);
    expect(secondary.requests()).toBe(1);
    expect(chain.name).toBe('fallback(primary, backup)');
    expect(await chain.fetch({ from: '2024-01-04' })).toHaveLength(1);
  });

  it('uses the primary when it works and never asks the others', async () => {
    const primary = new ArraySource([{ timestamp: day(2), values: { x: 1 } }], { name: 'memory' });
    const secondary = stub('never', async () => []);
    const chain = new FallbackSource([primary, secondary], { name: 'chain' });
    let fallbacks = 0;
    chain.on('fallback', () => fallbacks++);
    const report = await chain.fetchWithReport();
    expect(report.servedBy).toBe('memory');
    expect(report.attempts).toHaveLength(1);
    expect(secondary.calls).toBe(0);
    expect(fallbacks).toBe(0);
  });

  it('treats malformed rows from a source as a failure and moves on', async () => {
    const sloppy = stub('sloppy', async () => [
      { timestamp: day(3), values: { x: 1 } },
      { timestamp: day(2), values: { x: Number.NaN } },
    ]);
    const good = new ArraySource([{ timestamp: day(2), values: { x: 1 } }], { name: 'good' });
    const report = await new FallbackSource([sloppy, good]).fetchWithReport();
    expect(report.servedBy).toBe('good');
    expect(report.attempts[0]?.error).toMatchInlineSnapshot(
      `"Source "sloppy" rows[1].values.x is NaN; expected a finite number, or null for a missing value"`,
    );
  });

  it('lists every failure when all sources fail, keeping a shared error code', async () => {
    const missing = new CsvSource({ path: join('/nonexistent', 'a.csv'), name: 'a' });
    const alsoMissing = new CsvSource({ path: join('/nonexistent', 'b.csv'), name: 'b' });
    const both = await rejection(new FallbackSource([missing, alsoMissing], { name: 'files' }).fetch());
    expect(both.code).toBe('NOT_FOUND');
    expect(both.message).toMatchInlineSnapshot(
      `"FallbackSource "files": all 2 sources failed: a: CSV file not found: /nonexistent/a.csv; check the path | b: CSV file not found: /nonexistent/b.csv; check the path"`,
    );
    expect(both.cause).toBeInstanceOf(AggregateError);
    expect(both.details?.attempts).toHaveLength(2);

    const broken = stub('broken', async () => {
      throw new Error('socket hang up');
    });
    const mixed = await rejection(new FallbackSource([missing, broken], { name: 'mixed' }).fetch());
    expect(mixed.code).toBe('STORAGE');
    expect(mixed.message).toMatchInlineSnapshot(
      `"FallbackSource "mixed": all 2 sources failed: a: CSV file not found: /nonexistent/a.csv; check the path | broken: socket hang up"`,
    );
  });

  it('rejects a bad query at once, without blaming any source', async () => {
    const source = stub('s', async () => []);
    const error = await rejection(new FallbackSource([source], { name: 'one' }).fetch({ from: 'soon' }));
    expect(error.message).toMatchInlineSnapshot(
      `"FallbackSource "one" query.from must be epoch milliseconds, a valid Date or an ISO 8601 string, received "soon""`,
    );
    expect(source.calls).toBe(0);
  });

  it('validates its sources and options', () => {
    expect(() => new FallbackSource([])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: FallbackSource needs a non-empty array of data sources, primary first]`,
    );
    expect(() => new FallbackSource([{ name: 'x' } as never])).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: FallbackSource sources[0] is not a data source; expected an object with a name and a fetch(query) method]`,
    );
    expect(
      () => new FallbackSource([stub('s', async () => [])], { retries: 2 } as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid FallbackSource options: Unrecognized key: "retries"]`,
    );
  });
});
