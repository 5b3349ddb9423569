/**
 * The one HTTP port every service has (DESIGN § 6): `/healthz` (alive: the event loop answers), `/readyz` (ready
 * for work, as the service says), `/metrics` (its Prometheus registry), plus the service's own GET routes.
 * Every request is counted and timed on the service's registry (HTTP_METRICS), which the observability edge
 * rules turn into request rate, error ratio and latency per service.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, type Registry } from 'prom-client';

/** A service route's answer; the body is sent as JSON. */
export interface RouteResponse {
  readonly status: number;
  readonly body: unknown;
}

export type RouteHandler = (request: IncomingMessage) => RouteResponse | Promise<RouteResponse>;

export interface ServiceServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly registry: Registry;
  /** Whether `/readyz` answers 200. */
  readonly ready: () => boolean;
  /** GET routes by exact path, e.g. `/observations`. */
  readonly routes?: Readonly<Record<string, RouteHandler>>;
}

export interface ServiceServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  /** Stops accepting connections, waits for in-flight requests, then closes idle keep-alive connections. */
  close(): Promise<void>;
}

/**
 * The series of the HTTP port; constructs/observability/metric-contracts.ts reads these names. `route` is the
 * matched path (`unmatched` otherwise, so a scan of random paths cannot grow the series), `code` the status.
 */
export const HTTP_METRICS = {
  requests: 'skyline_http_requests_total',
  duration: 'skyline_http_request_duration_seconds',
  unmatchedRoute: 'unmatched',
} as const;

/** Seconds; from a cached /metrics (ms) to a slow service route (s). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface HttpMetrics {
  readonly requests: Counter<'route' | 'code'>;
  readonly duration: Histogram<'route'>;
}

/** The registry's HTTP metrics, created on first use: a registry may serve more than one server (tests). */
function httpMetrics(registry: Registry): HttpMetrics {
  const existing = registry.getSingleMetric(HTTP_METRICS.requests);
  if (existing) return { requests: existing as Counter<'route' | 'code'>, duration: registry.getSingleMetric(HTTP_METRICS.duration) as Histogram<'route'> };
  return {
    requests: new Counter({ name: HTTP_METRICS.requests, help: 'HTTP requests answered, by matched route and status code', labelNames: ['route', 'code'], registers: [registry] }),
    duration: new Histogram({
      name: HTTP_METRICS.duration,
      help: 'Time from receiving an HTTP request to the end of its answer, by matched route',
      labelNames: ['route'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
  };
}

export async function startServiceServer(options: ServiceServerOptions): Promise<ServiceServer> {
  const routes = options.routes ?? {};
  const metrics = httpMetrics(options.registry);
  const knownPaths = new Set(['/healthz', '/readyz', '/metrics', ...Object.keys(routes)]);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://service').pathname;
    const route = knownPaths.has(path) ? path : HTTP_METRICS.unmatchedRoute;
    const endTimer = metrics.duration.startTimer({ route });
    // `close` too: a client that hangs up before the answer still took this long and still counts, as a 499.
    let counted = false;
    const count = (): void => {
      if (counted) return;
      counted = true;
      endTimer();
      metrics.requests.inc({ route, code: String(response.writableFinished ? response.statusCode : 499) });
    };
    response.once('finish', count);
    response.once('close', count);
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'application/json', JSON.stringify({ error: (error as Error).message }));
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://service').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    if (path === '/healthz') {
      send(response, 200, 'text/plain', 'ok\n');
    } else if (path === '/readyz') {
      const ready = options.ready();
      send(response, ready ? 200 : 503, 'text/plain', ready ? 'ready\n' : 'not ready\n');
    } else if (path === '/metrics') {
      send(response, 200, options.registry.contentType, await options.registry.metrics());
    } else if (Object.hasOwn(routes, path)) {
      const answer = await routes[path](request);
      send(response, answer.status, 'application/json', JSON.stringify(answer.body));
    } else {
      send(response, 404, 'text/plain', 'not found\n');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close: () => closeServer(server) };
}

function send(response: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    // close() waits for keep-alive connections too; idle ones carry no work to drain.
    server.closeIdleConnections();
  });
}
