/**
 * What counts as an operation, a failed operation and its latency, per workload: the service level
 * indicators the edge rules record. Each expression is the per-second rate over EDGE_RATE_WINDOW of one
 * workload in one cluster, with no labels left (the rule adds `service`).
 */
import { type SkylineService } from './labels';
import { MODEL_SERVING_METRICS, REPLICATOR_METRICS, SERVICE_HTTP_METRICS } from './metric-contracts';
import { oneOf, selector, type Matcher } from './promql';
import { EDGE_RATE_WINDOW } from './thresholds';

export interface ServiceSli {
  readonly service: SkylineService;
  /** Operations per second. */
  readonly operations: string;
  /** Failed operations per second; absent when there are none, never when there are operations. */
  readonly failures: string;
  /** `sum by (le)` of the latency histogram's bucket rates; absent for a workload without a latency objective. */
  readonly latencyBuckets?: string;
}

const rate = (series: string): string => `rate(${series}[${EDGE_RATE_WINDOW}])`;

/** Failures, or 0 while there are operations but no failure series yet (counters appear at their first increment). */
const failuresOrZero = (failures: string, operations: string): string => `${failures} or (0 * ${operations})`;

function httpSli(service: SkylineService, metrics: { requests: string; duration: string }, scope: Record<string, string | Matcher>, errorMatcher: Record<string, Matcher>): ServiceSli {
  const operations = `sum(${rate(metrics.requests + selector(scope))})`;
  return {
    service,
    operations,
    failures: failuresOrZero(`sum(${rate(metrics.requests + selector({ ...scope, ...errorMatcher }))})`, operations),
    latencyBuckets: `sum by (le) (${rate(`${metrics.duration}_bucket${selector(scope)}`)})`,
  };
}

/** The indicators of the model server and of the three bundled services. */
export function serviceSlis(): ServiceSli[] {
  const serving = MODEL_SERVING_METRICS;
  const http = SERVICE_HTTP_METRICS;
  const replicator = REPLICATOR_METRICS;
  const bundledHttp = (service: 'failover' | 'cost-analyzer'): ServiceSli =>
    httpSli(service, http, { job: service, namespace: http.namespace, route: { notIn: http.excludedRoutes } }, { code: { matches: '5..' } });
  // A copy is the replicator's operation, a failed copy its error; its HTTP port serves probes only.
  const copies = `sum(${rate(selector({ __name__: { matches: oneOf([replicator.copied, replicator.failures]) }, ...replicator.scope }))})`;
  return [
    httpSli('model-serving', serving, { job: serving.job, namespace: serving.namespace, handler: { notIn: serving.excludedHandlers } }, { status: { matches: '5..' } }),
    bundledHttp('failover'),
    {
      service: 'replicator',
      operations: copies,
      failures: failuresOrZero(`sum(${rate(replicator.failures + selector(replicator.scope))})`, copies),
    },
    bundledHttp('cost-analyzer'),
  ];
}
