/**
 * The raw series the edge rules read are the ones this repository's exporters really write: the services'
 * HTTP port (services/common), the failover controller, the replicator and the cost analyzer. (The model
 * server is the user's image: its names are prometheus-fastapi-instrumentator's.)
 */
import { Registry } from 'prom-client';
import { COST_METRICS, FAILOVER_METRICS, REPLICATOR_METRICS, SERVICE_HTTP_METRICS } from '../../../constructs/observability/metric-contracts';
import { HTTP_METRICS, startServiceServer } from '../../../services/common/src/http-server';
import { createMetricsRegistry } from '../../../services/common/src/metrics';
import { CostMetrics } from '../../../services/cost-analyzer/src/metrics';
import { FailoverMetrics } from '../../../services/failover/src/metrics';
import { ReplicatorMetrics } from '../../../services/replicator/src/metrics';

/** `name{label names}` of every sample line, label values dropped and label names sorted. */
function shapes(exposition: string): Set<string> {
  const lines = exposition.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return new Set(
    lines.map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
      const labels = (match?.[2] ?? '').split(/,(?=[a-zA-Z_]+=)/).filter(Boolean).map((pair) => pair.split('=')[0]).sort();
      return `${match?.[1]}{${labels.join(',')}}`;
    }),
  );
}

describe('metric contracts', () => {
  it("match the services' HTTP port", async () => {
    expect(SERVICE_HTTP_METRICS.requests).toBe(HTTP_METRICS.requests);
    expect(SERVICE_HTTP_METRICS.duration).toBe(HTTP_METRICS.duration);
    const registry = createMetricsRegistry({ service: 'failover', processMetrics: false });
    const server = await startServiceServer({ host: '127.0.0.1', port: 0, registry, ready: () => true, routes: { '/observations': () => ({ status: 200, body: {} }) } });
    try {
      await fetch(`${server.url}/observations`);
      for (const route of SERVICE_HTTP_METRICS.excludedRoutes) await fetch(`${server.url}${route}`);
      const exported = shapes(await registry.metrics());
      expect(exported).toContain(`${SERVICE_HTTP_METRICS.requests}{code,route,service}`);
      expect(exported).toContain(`${SERVICE_HTTP_METRICS.duration}_bucket{le,route,service}`);
      // The probe and scrape routes the SLI leaves out are labelled with exactly the paths it excludes.
      const requests = await registry.getSingleMetricAsString(HTTP_METRICS.requests);
      for (const route of SERVICE_HTTP_METRICS.excludedRoutes) expect(requests).toContain(`route="${route}",code="200"`);
    } finally {
      await server.close();
    }
  });

  it("match the failover controller's series and labels", async () => {
    const metrics = new FailoverMetrics(new Registry());
    metrics.regionHealthy.set({ region: 'europe-west1', cloud: 'gcp' }, 1);
    metrics.weight.set({ region: 'europe-west1', record: 'self' }, 100);
    metrics.countTransition('europe-west1', 'failover');
    const exported = shapes(await metrics.registry.metrics());
    expect(exported).toContain(`${FAILOVER_METRICS.regionHealthy}{cloud,region}`);
    expect(exported).toContain(`${FAILOVER_METRICS.weight}{record,region}`);
    expect(exported).toContain(`${FAILOVER_METRICS.transitions}{kind,region}`);
  });

  it("match the replicator's series; the edge rules aggregate away the labels they do not keep", async () => {
    const route = { source: 'us-west-2', destination: 'europe-west1' };
    const metrics = new ReplicatorMetrics(new Registry(), () => [{ ...route, lagSeconds: 12, objects: 3 }]);
    metrics.objectsCopied.inc(route);
    metrics.failures.inc({ ...route, reason: 'throttled' });
    const exported = shapes(await metrics.registry.metrics());
    expect(exported).toContain(`${REPLICATOR_METRICS.copied}{destination,source}`);
    expect(exported).toContain(`${REPLICATOR_METRICS.failures}{destination,reason,source}`);
    expect(exported).toContain(`${REPLICATOR_METRICS.lagSeconds}{destination,source}`);
    expect(exported).toContain(`${REPLICATOR_METRICS.pending}{destination,source}`);
  });

  it("match the cost analyzer's series and labels", async () => {
    const metrics = new CostMetrics(new Registry());
    metrics.monthToDate.set({ provider: 'aws', region: 'us-west-2', category: 'Compute', service: 'EC2', currency: 'USD' }, 10);
    metrics.forecast.set({ provider: 'aws', currency: 'USD', bound: 'point' }, 30);
    metrics.budget.set({ provider: 'aws', currency: 'USD' }, 25);
    const exported = shapes(await metrics.registry.metrics());
    expect(exported).toContain(`${COST_METRICS.monthToDate}{category,currency,provider,region,service}`);
    expect(exported).toContain(`${COST_METRICS.forecast}{bound,currency,provider}`);
    expect(exported).toContain(`${COST_METRICS.budget}{currency,provider}`);
  });
});
