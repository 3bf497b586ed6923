import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invalidOption, TributaryError } from '@tributary/core';
import type { Registry } from 'prom-client';

/** Options of {@link metricsServer}. */
export interface MetricsServerOptions {
  /** The prom-client registry whose metrics are served. */
  readonly registry: Registry;
  /** TCP port; 0 picks a free one (tests). Default 9464. */
  readonly port?: number;
  /** Interface to bind. Default `'127.0.0.1'` (not exposed beyond the host unless you say so). */
  readonly host?: string;
  /** Path of the exposition. Default `'/metrics'`. */
  readonly path?: string;
}

/** A running metrics server. */
export interface MetricsServer {
  /** The TCP port it listens on (the one picked when `port: 0` was asked). */
  readonly port: number;
  /** Full URL of the exposition, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/**
 * A small node:http server answering `GET <path>` with the registry's exposition text (404
 * elsewhere, 405 for other methods, 500 if collecting fails). Resolves once listening.
 */
export async function metricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const registry = options?.registry;
  if (typeof registry?.metrics !== 'function')
    throw invalidOption('registry', 'a prom-client Registry', registry);
  const port = options.port ?? 9464;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalidOption('port', 'an integer in [0, 65535]', port);
  }
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/metrics';
  if (!path.startsWith('/')) throw invalidOption('path', 'a path starting with /', path);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end('method not allowed\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`collect failed: ${String(error)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new TributaryError(
          'MONITOR_SERVER_FAILED',
          `metrics server: cannot listen on ${host}:${port}`,
          {
            cause: error,
            details: { host, port },
          },
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}${path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
