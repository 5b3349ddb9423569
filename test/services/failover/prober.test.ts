/** The network prober against real endpoints: TCP connect then HTTP /health, each bounded by its timeout. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthCounters } from '../../../services/failover/src/probe/health-counters';
import { NetworkProber, type ProbeTarget } from '../../../services/failover/src/probe/prober';
import { startFaultProxy, startRegionalEndpoint, type RegionalEndpoint } from '../../helpers/peers';

const prober = new NetworkProber({ tcpTimeoutMs: 200, httpTimeoutMs: 300 });
let endpoint: RegionalEndpoint;

beforeAll(async () => {
  endpoint = await startRegionalEndpoint();
});

function target(port: number): ProbeTarget {
  return { name: 'us-west-2', address: '127.0.0.1', port, scheme: 'http', hostname: 'us-west-2.api.ml.example.com', healthPath: '/health' };
}

describe('NetworkProber', () => {
  it('passes on 2xx', async () => {
    endpoint.setMode('healthy');
    expect(await prober.probe(target(endpoint.port))).toEqual({ ok: true, durationMs: expect.any(Number) });
  });

  it('fails on a non-2xx answer, naming the status', async () => {
    endpoint.setMode('failing');
    expect(await prober.probe(target(endpoint.port))).toMatchObject({ ok: false, error: 'http: 503' });
  });

  it('fails within the HTTP timeout when the server accepts and never answers', async () => {
    endpoint.setMode('hanging');
    const result = await prober.probe(target(endpoint.port));
    expect(result).toMatchObject({ ok: false, error: 'http: no answer within 300 ms' });
    expect(result.durationMs).toBeLessThan(1_000);
  });

  it('fails the TCP check when nothing listens', async () => {
    await endpoint.close();
    expect(await prober.probe(target(endpoint.port))).toMatchObject({ ok: false, error: 'tcp: connect ECONNREFUSED' });
    await endpoint.reopen();
    endpoint.setMode('healthy');
    expect((await prober.probe(target(endpoint.port))).ok).toBe(true);
  });

  it('fails within the HTTP deadline when connections are accepted and never answered (a blackholed path), and on resets', async () => {
    const proxy = await startFaultProxy(endpoint.url);
    proxy.partition(true, 'blackhole');
    const result = await prober.probe(target(Number(new URL(proxy.url).port)));
    // The kernel completes the handshake of an accepted-but-paused connection, so the HTTP deadline catches it.
    expect(result).toMatchObject({ ok: false, error: 'http: no answer within 300 ms' });
    proxy.partition(true, 'reset');
    expect((await prober.probe(target(Number(new URL(proxy.url).port)))).ok).toBe(false);
  });

  it('sends the region host name as the Host header, on a fresh connection', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.host, request.headers.connection);
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    expect((await prober.probe(target((server.address() as AddressInfo).port))).ok).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(seen).toEqual(['us-west-2.api.ml.example.com', 'close']);
  });
});

describe('HealthCounters', () => {
  it('counts consecutive failures and successes, each resetting the other, and keeps the last error', () => {
    const counters = new HealthCounters();
    const fail = { ok: false, error: 'http: 503', durationMs: 1 };
    const pass = { ok: true, durationMs: 1 };
    counters.record('a', fail, 1);
    expect(counters.record('a', fail, 2)).toEqual({ consecutiveFailures: 2, consecutiveSuccesses: 0, probedAt: 2, lastError: 'http: 503' });
    expect(counters.record('a', pass, 3)).toEqual({ consecutiveFailures: 0, consecutiveSuccesses: 1, probedAt: 3 });
    counters.record('b', pass, 4);
    expect(counters.snapshot()).toEqual({ a: { consecutiveFailures: 0, consecutiveSuccesses: 1, probedAt: 3 }, b: { consecutiveFailures: 0, consecutiveSuccesses: 1, probedAt: 4 } });
  });
});
