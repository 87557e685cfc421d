import { afterEach, describe, expect, it } from 'vitest';
import { HttpJsonSource, type HttpJsonSourceEvents, ManualClock } from '../../src/index.js';
import { rejection } from '../helpers.js';
import { closedPort, FEED, json, parseFeed, startServer, type TestServer } from './http-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const server = await startServer(...args);
  servers.push(server);
  return server;
}

const portless = (text: string): string => text.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');

function source(url: string, extra: Partial<ConstructorParameters<typeof HttpJsonSource>[0]> = {}) {
  const clock = new ManualClock(0);
  const retries: HttpJsonSourceEvents['retry'][] = [];
  const feed = new HttpJsonSource({ url, parse: parseFeed, clock, seed: 7, ...extra });
  feed.on('retry', (e) => retries.push(e));
  return { feed, clock, retries };
}

describe('HttpJsonSource', () => {
  it('GETs JSON, parses it into validated rows, and sends the headers', async () => {
    const server = await serve((_req, res) => json(res, FEED));
    const { feed } = source(`${server.url}/daily`, { headers: { authorization: 'Bearer t0ken' } });
    expect(feed.name).toBe(`http:${server.url.slice('http://'.length)}`);
    expect(await feed.fetch()).toEqual([
      { timestamp: Date.UTC(2024, 0, 2), values: { close: 101.5 } },
      { timestamp: Date.UTC(2024, 0, 3), values: { close: null } },
      { timestamp: Date.UTC(2024, 0, 4), values: { close: 103.25 } },
    ]);
    expect(server.seen[0]?.headers.authorization).toBe('Bearer t0ken');
  });

  it('builds the URL from the resolved query and keeps only rows inside it', async () => {
    const server = await serve((_req, res) => json(res, FEED)); // ignores the query
    const { feed } = source('unused', {
      url: (q) => `${server.url}/daily?from=${q.from}&to=${q.to}`,
      name: 'feed',
    });
    const rows = await feed.fetch({ from: '2024-01-03', to: '2024-01-04' });
    expect(rows.map((r) => r.timestamp)).toEqual([Date.UTC(2024, 0, 3)]);
    expect(server.seen[0]?.url).toBe(`/daily?from=${Date.UTC(2024, 0, 3)}&to=${Date.UTC(2024, 0, 4)}`);
  });

  it('retries 5xx responses with seeded full-jitter backoff, then succeeds', async () => {
    const server = await serve((_req, res, n) =>
      n <= 2 ? json(res, { error: 'busy' }, 503) : json(res, FEED),
    );
    const { feed, clock, retries } = source(server.url, { backoffMs: 1000 });
    expect(await feed.fetch()).toHaveLength(3);
    expect(server.requests()).toBe(3);
    expect(retries.map((r) => [r.attempt, r.status, r.error])).toEqual([
      [1, 503, 'HTTP 503 Service Unavailable'],
      [2, 503, 'HTTP 503 Service Unavailable'],
    ]);
    const [first, second] = retries.map((r) => r.delayMs) as [number, number];
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(1000);
    expect(second).toBeLessThan(2000);
    expect(clock.now()).toBe(first + second);

    const again = await serve((_req, res, n) => (n <= 2 ? json(res, {}, 500) : json(res, FEED)));
    const replay = source(again.url, { backoffMs: 1000 });
    await replay.feed.fetch();
    expect(replay.retries.map((r) => r.delayMs)).toEqual([first, second]);
  });

  it('retries connections dropped by the server', async () => {
    const server = await serve((req, res, n) => (n === 1 ? req.socket.destroy() : json(res, FEED)));
    const { feed, retries } = source(server.url);
    expect(await feed.fetch()).toHaveLength(3);
    expect(server.requests()).toBe(2);
    expect(retries[0]?.error).toMatch(/^network error: fetch failed/);
  });

  it('honours Retry-After on 429, in seconds or as an HTTP date, capped at maxDelayMs', async () => {
    const server = await serve((_req, res, n) => {
      if (n === 1) res.writeHead(429, { 'retry-after': '2' }).end();
      else if (n === 2) res.writeHead(429, { 'retry-after': '3600' }).end();
      else if (n === 3) res.writeHead(429, { 'retry-after': new Date(30_000).toUTCString() }).end();
      else json(res, FEED);
    });
    const { feed, clock, retries } = source(server.url, { maxDelayMs: 20_000, retries: 5 });
    expect(await feed.fetch()).toHaveLength(3);
    expect(retries.map((r) => r.delayMs)).toEqual([2000, 20_000, 8000]); // the date is 30 s, asked at 22 s
    expect(clock.now()).toBe(30_000);
    expect(server.requests()).toBe(4);
  });

  it('gives up after retries + 1 attempts with STORAGE, listing every failure', async () => {
    const server = await serve((_req, res) => json(res, {}, 502));
    const { feed, retries } = source(`${server.url}/prices?apikey=secret`, { name: 'prices', retries: 2 });
    const error = await rejection(feed.fetch());
    expect(server.requests()).toBe(3);
    expect(retries).toHaveLength(2);
    expect(error.code).toBe('STORAGE');
    expect(portless(error.message)).toMatchInlineSnapshot(
      `"HttpJsonSource "prices": GET http://127.0.0.1:<port>/prices?… failed after 3 attempts: HTTP 502 Bad Gateway; HTTP 502 Bad Gateway; HTTP 502 Bad Gateway"`,
    );
    expect(error.message).not.toContain('secret');
    expect(error.details).toMatchObject({ attempts: 3 });
  });

  it('does not retry 404 (NOT_FOUND) or other client errors (INVALID_ARGUMENT)', async () => {
    const server = await serve((req, res) => json(res, {}, req.url === '/missing' ? 404 : 401));
    const missing = await rejection(source(`${server.url}/missing`, { name: 'feed' }).feed.fetch());
    expect(missing.code).toBe('NOT_FOUND');
    expect(portless(missing.message)).toMatchInlineSnapshot(
      `"HttpJsonSource "feed": GET http://127.0.0.1:<port>/missing returned HTTP 404 Not Found; check the URL"`,
    );
    const denied = await rejection(source(`${server.url}/private`, { name: 'feed' }).feed.fetch());
    expect(denied.code).toBe('INVALID_ARGUMENT');
    expect(portless(denied.message)).toMatchInlineSnapshot(
      `"HttpJsonSource "feed": GET http://127.0.0.1:<port>/private returned HTTP 401 Unauthorized; check the URL, query and headers (client errors are not retried)"`,
    );
    expect(server.requests()).toBe(2);
  });

  it('abandons attempts that hang past timeoutMs and ends with ABORTED', async () => {
    const server = await serve(() => {}); // never answers
    const { feed, retries } = source(server.url, { timeoutMs: 100, retries: 1, name: 'slow' });
    const started = performance.now();
    const error = await rejection(feed.fetch());
    expect(performance.now() - started).toBeLessThan(5000);
    expect(server.requests()).toBe(2);
    expect(retries[0]?.error).toBe('timed out after 100 ms');
    expect(error.code).toBe('ABORTED');
    expect(portless(error.message)).toMatchInlineSnapshot(
      `"HttpJsonSource "slow": GET http://127.0.0.1:<port>/ failed after 2 attempts: timed out after 100 ms; timed out after 100 ms"`,
    );
  });

  it('times out a body that stalls after the headers', async () => {
    const server = await serve((_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[');
      } else json(res, FEED);
    });
    const { feed, retries } = source(server.url, { timeoutMs: 100 });
    expect(await feed.fetch()).toHaveLength(3);
    expect(retries.map((r) => r.error)).toEqual(['timed out after 100 ms']);
  });

  it('reports a refused connection as a network error', async () => {
    const url = await closedPort();
    const error = await rejection(source(url, { retries: 1, name: 'down' }).feed.fetch());
    expect(error.code).toBe('STORAGE');
    expect(portless(error.message)).toMatchInlineSnapshot(
      `"HttpJsonSource "down": GET http://127.0.0.1:<port>/ failed after 2 attempts: network error: fetch failed (ECONNREFUSED); network error: fetch failed (ECONNREFUSED)"`,
    );
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('rejects bodies that are not JSON and rows that fail validation, without retrying', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/text') res.writeHead(200).end('<html>');
      else
        json(res, [
          { t: 2, c: 1 },
          { t: 1, c: 2 },
        ]);
    });
    const text = await rejection(source(`${server.url}/text`, { name: 'feed' }).feed.fetch());
    expect(text.code).toBe('INVALID_ARGUMENT');
    expect(portless(text.message)).toMatch(
      /^HttpJsonSource "feed": the response from GET http:\/\/127\.0\.0\.1:<port>\/text is not valid JSON: /,
    );
    const unsorted = await rejection(source(`${server.url}/rows`, { name: 'feed' }).feed.fetch());
    expect(unsorted.message).toMatchInlineSnapshot(
      `"Rows must be sorted by timestamp then symbol, but HttpJsonSource "feed" rows[1] (1970-01-01T00:00:00.001Z) comes after HttpJsonSource "feed" rows[0] (1970-01-01T00:00:00.002Z); sort them first or pass sort: true"`,
    );
    const sorted = await source(`${server.url}/rows`, { sort: true }).feed.fetch();
    expect(sorted.map((r) => r.timestamp)).toEqual([1, 2]);
    const throwing = source(`${server.url}/rows`, {
      name: 'feed',
      parse: () => {
        throw new Error('unexpected payload');
      },
    });
    expect((await rejection(throwing.feed.fetch())).message).toMatchInlineSnapshot(
      `"HttpJsonSource "feed": parse threw on the response: unexpected payload"`,
    );
    expect(server.requests()).toBe(4);
  });

  it('validates its options and the URL', async () => {
    expect(
      () => new HttpJsonSource({ url: 'ftp://example.com/x', parse: parseFeed }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: HttpJsonSource options.url must be an absolute http or https URL, received "ftp://example.com/x"]`,
    );
    expect(
      () => new HttpJsonSource({ url: 'http://example.com' } as never),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid HttpJsonSource options: parse: expected a function (received nothing)]`,
    );
    expect(
      () => new HttpJsonSource({ url: 'http://example.com', parse: parseFeed, retries: -1, timeoutMs: 0 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MlcycleError: Invalid HttpJsonSource options: retries: Too small: expected number to be >=0 (received -1); timeoutMs: Too small: expected number to be >0 (received 0)]`,
    );
    const relative = new HttpJsonSource({ url: () => '/daily', parse: parseFeed, name: 'rel' });
    expect((await rejection(relative.fetch())).message).toMatchInlineSnapshot(
      `"HttpJsonSource "rel" url must be an absolute http or https URL, received "/daily""`,
    );
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const feed = new HttpJsonSource({
      url: 'https://prices.example.com/daily',
      parse: parseFeed,
      fetch: async (input) => {
        calls.push(String(input));
        return new Response(JSON.stringify(FEED), { headers: { 'content-type': 'application/json' } });
      },
    });
    expect(await feed.fetch()).toHaveLength(3);
    expect(calls).toEqual(['https://prices.example.com/daily']);
  });
});
