import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, isIPv4 } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import { isClusterWorker, WORKER_INDEX_ENV } from '../cluster/messages.js';
import { ConfigError, type MetricsConfig } from '../config.js';

export interface MetricsListener {
  address(): AddressInfo | null;
  close(): Promise<void>;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The bearer token, compared in constant time; true when none is configured. */
function authorised(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m !== null && timingSafeEqual(digest(m[1]), digest(token));
}

function isLoopback(host: string): boolean {
  return host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

/**
 * GET /metrics on GAZETTE_METRICS_ADDR, a listener of its own (the public port never serves it).
 * With GAZETTE_METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`. A cluster's
 * workers each take the next port (worker 0 the port given, worker 1 the one after…), so that
 * Prometheus scrapes every process.
 */
export async function listenMetrics(registry: Registry, config: MetricsConfig, log: FastifyBaseLogger): Promise<MetricsListener> {
  const offset = isClusterWorker() && config.port !== 0 ? Number(process.env[WORKER_INDEX_ENV] ?? 0) : 0;
  const port = config.port + offset;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Only GET and HEAD\n');
      return;
    }
    if (!authorised(req, config.token)) {
      res
        .writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8' })
        .end('A bearer token is needed (GAZETTE_METRICS_TOKEN)\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err) => {
        log.warn({ err }, 'metrics: collecting failed');
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics could not be collected\n');
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `cannot listen for metrics on ${config.host}:${port} (GAZETTE_METRICS_ADDR): ${code ?? (error as Error).message}`,
    );
  }
  const address = server.address() as AddressInfo;
  if (!isLoopback(config.host) && !config.token) {
    log.warn(
      { address: address.address },
      'metrics are served to anyone who can reach this address: set GAZETTE_METRICS_TOKEN or a loopback address',
    );
  }
  log.info({ metrics: `${address.address}:${address.port}` }, 'metrics listening');
  return {
    address: () => (server.listening ? (server.address() as AddressInfo) : null),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
