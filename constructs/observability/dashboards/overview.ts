/**
 * The global overview: per region, the model server's request rate, p95 latency and error ratio, the traffic
 * weights the failover controllers set, replication lag, and this month's spend against its forecast and
 * budget. The queries are exported: the integration test asks the global Prometheus exactly these.
 */
import { FEDERATION_JOB } from '../labels';
import { EDGE_SERIES } from '../recording-rules';
import { grafanaDashboard, type GrafanaDashboard } from './grafana-json';

/** The service the overview is about: the platform's product. */
const SERVING = 'service="model-serving"';

export const OVERVIEW_QUERIES = {
  /** `{region}` model-serving requests per second. */
  requestRate: `sum by (region) (${EDGE_SERIES.requests}{${SERVING}})`,
  /** `{region}` model-serving p95 latency, seconds. */
  p95Latency: `max by (region) (${EDGE_SERIES.latency}{${SERVING},quantile="0.95"})`,
  /** `{region}` share of model-serving requests that failed. */
  errorRatio: `sum by (region) (${EDGE_SERIES.errors}{${SERVING}}) / sum by (region) (${EDGE_SERIES.requests}{${SERVING}})`,
  /** `{target_region, record}` Route53 weights (self, spill) of each region's record pair. */
  trafficWeights: `max by (target_region, record) (${EDGE_SERIES.weight})`,
  /** `{source, destination}` replication lag, seconds. */
  replicationLag: `max by (source, destination) (${EDGE_SERIES.replicationLag})`,
  /** `{provider, currency}` month-to-date spend (every region's analyzer reports the same bill: max, not sum). */
  costMonthToDate: `max by (provider, currency) (${EDGE_SERIES.costMonthToDate})`,
  /** `{provider, currency}` end-of-month point forecast. */
  costForecast: `max by (provider, currency) (${EDGE_SERIES.costForecast}{bound="point"})`,
  /** `{provider, currency}` monthly budget. */
  costBudget: `max by (provider, currency) (${EDGE_SERIES.costBudget})`,
  /** `{region}` 1 when the global Prometheus could read the region at its last federation scrape. */
  regionReachable: `max by (region) (up{job="${FEDERATION_JOB}"})`,
} as const;

export function overviewDashboard(): GrafanaDashboard {
  const q = OVERVIEW_QUERIES;
  return grafanaDashboard({
    uid: 'skyline-overview',
    title: 'Skyline / Global overview',
    description: 'Every region at a glance, from the global Prometheus (federated edge series).',
    panels: [
      { title: 'Requests per second', description: 'Model-serving requests, per region.', unit: 'reqps', queries: [{ expr: q.requestRate, legend: '{{region}}' }] },
      { title: 'p95 latency', description: 'Model-serving 95th percentile latency, per region.', unit: 's', queries: [{ expr: q.p95Latency, legend: '{{region}}' }] },
      { title: 'Error ratio', description: 'Share of model-serving requests answered with a 5xx, per region.', unit: 'percentunit', queries: [{ expr: q.errorRatio, legend: '{{region}}' }] },
      { title: 'Traffic weights', description: 'Route53 weights of each region\'s self and spill records (100/0 is normal).', unit: 'short', queries: [{ expr: q.trafficWeights, legend: '{{target_region}} {{record}}' }] },
      { title: 'Replication lag', description: 'Age of the oldest model object not yet copied, per source and destination.', unit: 's', queries: [{ expr: q.replicationLag, legend: '{{source}} → {{destination}}' }] },
      { title: 'Region reachable', description: '1 when the global Prometheus could federate the region at its last scrape.', unit: 'short', kind: 'stat', queries: [{ expr: q.regionReachable, legend: '{{region}}' }] },
      { title: 'Month-to-date cost', description: 'Spend so far this month, per provider.', unit: 'short', kind: 'stat', queries: [{ expr: q.costMonthToDate, legend: '{{provider}} {{currency}}' }] },
      {
        title: 'End-of-month forecast and budget',
        description: 'Point forecast of the month\'s spend against the monthly budget, per provider.',
        unit: 'short',
        kind: 'stat',
        queries: [
          { expr: q.costForecast, legend: 'forecast {{provider}} {{currency}}' },
          { expr: q.costBudget, legend: 'budget {{provider}} {{currency}}' },
        ],
      },
    ],
  });
}
