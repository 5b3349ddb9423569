/** The service HTTP port: liveness, readiness, metrics, service routes, and a drain that waits for requests. */
import { Counter } from 'prom-client';
import { startServiceServer, type ServiceServer } from '../../../services/common/src/http-server';
import { createMetricsRegistry } from '../../../services/common/src/metrics';

let server: ServiceServer;
let ready = false;
let release: () => void = () => undefined;

beforeAll(async () => {
  const registry = createMetricsRegistry({ service: 'test', processMetrics: false });
  new Counter({ name: 'skyline_test_total', help: 'a test counter', registers: [registry] }).inc(3);
  server = await startServiceServer({
    host: '127.0.0.1',
    port: 0,
    registry,
    ready: () => ready,
    routes: {
      '/things': () => ({ status: 200, body: { things: [1, 2] } }),
      '/slow': () => new Promise((resolve) => (release = () => resolve({ status: 200, body: 'done' }))),
      '/broken': () => {
        throw new Error('boom');
      },
    },
  });
});

afterAll(() => server.close());

describe('service HTTP server', () => {
  it('is alive at once, and ready only when the service says so', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it("serves the service's registry, every series labelled with the service", async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('skyline_test_total{service="test"} 3');
  });

  it('serves service routes as JSON, answers 404, 405 and 500 plainly', async () => {
    const things = await fetch(`${server.url}/things`);
    expect(things.headers.get('content-type')).toBe('application/json');
    expect(await things.json()).toEqual({ things: [1, 2] });
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    expect((await fetch(`${server.url}/things`, { method: 'POST' })).status).toBe(405);
    const broken = await fetch(`${server.url}/broken`);
    expect(broken.status).toBe(500);
    expect(await broken.json()).toEqual({ error: 'boom' });
  });

  it('counts and times every request by matched route and status, unknown paths as one route', async () => {
    // The value of the sample of `name` with exactly `labels` (in any order: prom-client orders them its own way).
    const value = (text: string, name: string, labels: Record<string, string>): number => {
      const wanted = Object.entries(labels).map(([label, labelValue]) => `${label}="${labelValue}"`).sort().join(',');
      for (const line of text.split('\n')) {
        const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
        if (match?.[1] === name && match[2].split(',').sort().join(',') === wanted) return Number(match[3]);
      }
      return 0;
    };
    const read = async (): Promise<string> => (await fetch(`${server.url}/metrics`)).text();
    const before = await read();
    await fetch(`${server.url}/things`);
    await fetch(`${server.url}/things`);
    await fetch(`${server.url}/broken`);
    await fetch(`${server.url}/no/such/path?x=1`);
    await fetch(`${server.url}/another-unknown`);
    const after = await read();
    const delta = (name: string, labels: Record<string, string>): number => value(after, name, labels) - value(before, name, labels);
    expect(delta('skyline_http_requests_total', { route: '/things', code: '200', service: 'test' })).toBe(2);
    expect(delta('skyline_http_requests_total', { route: '/broken', code: '500', service: 'test' })).toBe(1);
    expect(delta('skyline_http_requests_total', { route: 'unmatched', code: '404', service: 'test' })).toBe(2);
    expect(after).not.toContain('/no/such/path');
    expect(delta('skyline_http_request_duration_seconds_count', { route: '/things', service: 'test' })).toBe(2);
    expect(delta('skyline_http_request_duration_seconds_bucket', { le: '+Inf', route: '/things', service: 'test' })).toBe(2);
  });

  it('drains: close() waits for the request in flight and refuses new connections', async () => {
    const slow = fetch(`${server.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    release();
    expect(await (await slow).json()).toBe('done');
    await closing;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
