/**
 * One dashboard per workload: its operations, errors and latency per region (with a region filter), its
 * 1-hour error ratio as the burn-rate alerts see it, and what only that workload has.
 */
import { errorRatioSeries } from '../global-rules';
import { SKYLINE_SERVICES, type SkylineService } from '../labels';
import { EDGE_SERIES } from '../recording-rules';
import { serviceSlis } from '../slis';
import { grafanaDashboard, type GrafanaDashboard, type PanelSpec } from './grafana-json';

const IN_REGION = 'region=~"$region"';

/** Panels only this workload has. */
function specificPanels(service: SkylineService): PanelSpec[] {
  switch (service) {
    case 'failover':
      return [
        {
          title: 'Region health by observer',
          description: '1 when the failover controllers of the observing region saw the target region healthy at their last probe.',
          unit: 'short',
          queries: [{ expr: `max by (region, target_region) (${EDGE_SERIES.regionHealthy}{${IN_REGION}})`, legend: '{{region}} sees {{target_region}}' }],
        },
        { title: 'Traffic weights', description: 'Route53 weights of each region\'s self and spill records.', unit: 'short', queries: [{ expr: `max by (target_region, record) (${EDGE_SERIES.weight})`, legend: '{{target_region}} {{record}}' }] },
        { title: 'Weight changes', description: 'Weight changes applied in the last 5 minutes, by kind.', unit: 'short', queries: [{ expr: `sum by (target_region, kind) (${EDGE_SERIES.transitions})`, legend: '{{target_region}} {{kind}}' }] },
      ];
    case 'replicator':
      return [
        { title: 'Objects copied', description: 'Copies per second, per source and destination.', unit: 'ops', queries: [{ expr: `sum by (source, destination) (${EDGE_SERIES.copies}{${IN_REGION}})`, legend: '{{source}} → {{destination}}' }] },
        { title: 'Copy failures', description: 'Failed copies per second, per destination and reason.', unit: 'ops', queries: [{ expr: `sum by (destination, reason) (${EDGE_SERIES.copyFailures}{${IN_REGION}})`, legend: '{{destination}} {{reason}}' }] },
        { title: 'Replication lag', description: 'Age of the oldest object not yet copied.', unit: 's', queries: [{ expr: `max by (source, destination) (${EDGE_SERIES.replicationLag}{${IN_REGION}})`, legend: '{{source}} → {{destination}}' }] },
        { title: 'Pending objects', description: 'Objects waiting to be copied, per destination.', unit: 'short', queries: [{ expr: `max by (destination) (${EDGE_SERIES.replicationPending}{${IN_REGION}})`, legend: '{{destination}}' }] },
      ];
    case 'cost-analyzer':
      return [
        { title: 'Month-to-date cost', description: 'Spend so far this month, per provider.', unit: 'short', queries: [{ expr: `max by (provider, currency) (${EDGE_SERIES.costMonthToDate})`, legend: '{{provider}} {{currency}}' }] },
        {
          title: 'Forecast and budget',
          description: 'End-of-month forecast with its prediction interval, against the monthly budget.',
          unit: 'short',
          queries: [
            { expr: `max by (provider, currency, bound) (${EDGE_SERIES.costForecast})`, legend: 'forecast {{bound}} {{provider}} {{currency}}' },
            { expr: `max by (provider, currency) (${EDGE_SERIES.costBudget})`, legend: 'budget {{provider}} {{currency}}' },
          ],
        },
      ];
    case 'model-serving':
      return [];
  }
}

export function serviceDashboard(service: SkylineService): GrafanaDashboard {
  const of = `service="${service}",${IN_REGION}`;
  const hasLatency = serviceSlis().some((sli) => sli.service === service && sli.latencyBuckets !== undefined);
  const panels: PanelSpec[] = [
    { title: 'Operations per second', description: 'Requests (copies for the replicator), per region.', unit: 'ops', queries: [{ expr: `sum by (region) (${EDGE_SERIES.requests}{${of}})`, legend: '{{region}}' }] },
    { title: 'Error ratio (5m)', description: 'Failed operations over all operations, per region.', unit: 'percentunit', queries: [{ expr: `max by (region) (${EDGE_SERIES.errorRatio}{${of}})`, legend: '{{region}}' }] },
    {
      title: 'Error ratio (1h)',
      description: 'The long window of the fast burn-rate alert.',
      unit: 'percentunit',
      queries: [{ expr: `max by (region) (${errorRatioSeries('1h')}{${of}})`, legend: '{{region}}' }],
    },
    ...(hasLatency
      ? [{ title: 'Latency', description: 'p50, p95 and p99 from the histogram, per region.', unit: 's', queries: [{ expr: `max by (region, quantile) (${EDGE_SERIES.latency}{${of}})`, legend: '{{region}} p{{quantile}}' }] }]
      : []),
    ...specificPanels(service),
  ];
  return grafanaDashboard({
    uid: `skyline-${service}`,
    title: `Skyline / ${service}`,
    description: `The ${service} workload in every region, from the global Prometheus.`,
    regionVariableFrom: `${EDGE_SERIES.requests}{service="${service}"}`,
    panels,
  });
}

export function serviceDashboards(): GrafanaDashboard[] {
  return SKYLINE_SERVICES.map(serviceDashboard);
}
