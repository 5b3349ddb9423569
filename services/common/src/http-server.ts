/**
 * The one HTTP port every service has (DESIGN § 6): `/healthz` (alive: the event loop answers), `/readyz` (ready
 * for work, as the service says), `/metrics` (its Prometheus registry), plus the service's own GET routes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

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

export async function startServiceServer(options: ServiceServerOptions): Promise<ServiceServer> {
  const routes = options.routes ?? {};
  const server = createServer((request, response) => {
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
