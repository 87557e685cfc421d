import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on 127.0.0.1 whose every request goes to `handler`, with the request number (1-based). */
export interface TestServer {
  url: string;
  /** How many requests the server has received. */
  requests(): number;
  /** The requests received, as method, path and headers. */
  seen: { url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<TestServer> {
  const seen: TestServer['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    handler(req, res, seen.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => seen.length,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
export async function closedPort(): Promise<string> {
  const server = await startServer(() => {});
  await server.close();
  return server.url;
}

export function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A tiny price feed: `{ t, c }` points, the payload the tests' `parse` functions read. */
export const FEED = [
  { t: Date.UTC(2024, 0, 2), c: 101.5 },
  { t: Date.UTC(2024, 0, 3), c: null },
  { t: Date.UTC(2024, 0, 4), c: 103.25 },
];

export function parseFeed(body: unknown) {
  return (body as { t: number; c: number | null }[]).map((p) => ({ timestamp: p.t, values: { close: p.c } }));
}
