/**
 * The recording rules every regional Prometheus evaluates ("at the edge"): per workload request rate, error
 * rate and ratio, and latency quantiles; the failover controllers', replicator's and cost analyzer's series
 * aggregated to what the global view needs. Names follow `level:metric:operations` (the aggregation's labels,
 * the metric, the operations). These series, and only these, are federated.
 */
import { TARGET_REGION_LABEL } from './labels';
import { COST_METRICS, FAILOVER_METRICS, REPLICATOR_METRICS } from './metric-contracts';
import type { RecordingRule, RuleFile } from './prometheus-types';
import { copyLabel, selector } from './promql';
import { serviceSlis } from './slis';
import { EDGE_RATE_WINDOW, LATENCY_QUANTILES } from './thresholds';

const RATE = `rate${EDGE_RATE_WINDOW}`;

/** Every series the edge records, by what it means. The global rules and the dashboards read these names. */
export const EDGE_SERIES = {
  /** `{service}` operations per second. */
  requests: `service:skyline_requests:${RATE}`,
  /** `{service}` failed operations per second. */
  errors: `service:skyline_request_errors:${RATE}`,
  /** `{service}` failed / all operations. */
  errorRatio: `service:skyline_request_errors:ratio_${RATE}`,
  /** `{service, quantile}` latency in seconds, from the histogram buckets. */
  latency: `service:skyline_request_duration_seconds:quantile_${RATE}`,
  /** `{target_region}` 1 if any failover controller of this cluster saw the region healthy at its last probe. */
  regionHealthy: `${TARGET_REGION_LABEL}:skyline_failover_region_healthy:max`,
  /** `{target_region, record}` Route53 weight of the region's self or spill record. */
  weight: `${TARGET_REGION_LABEL}_record:skyline_failover_weight:max`,
  /** `{target_region, kind}` weight changes applied in the last window. */
  transitions: `${TARGET_REGION_LABEL}_kind:skyline_failover_transitions:increase${EDGE_RATE_WINDOW}`,
  /** `{source, destination}` objects copied per second. */
  copies: `source_destination:skyline_replicator_objects_copied:${RATE}`,
  /** `{destination, reason}` failed copies per second. */
  copyFailures: `destination_reason:skyline_replicator_failures:${RATE}`,
  /** `{source, destination}` age of the oldest object not yet copied, seconds. */
  replicationLag: 'source_destination:skyline_replicator_lag_seconds:max',
  /** `{destination}` objects waiting to be copied. */
  replicationPending: 'destination:skyline_replicator_pending_objects:max',
  /** `{provider, currency}` month-to-date spend. */
  costMonthToDate: 'provider_currency:skyline_cost_month_to_date:sum',
  /** `{provider, currency, bound}` end-of-month forecast; bound point, lower or upper. */
  costForecast: 'provider_currency_bound:skyline_cost_forecast_end_of_month:max',
  /** `{provider, currency}` the monthly budget. */
  costBudget: 'provider_currency:skyline_cost_budget_amount:max',
} as const;

/** The names the global Prometheus federates: every edge series. */
export const FEDERATED_SERIES: readonly string[] = Object.values(EDGE_SERIES);

/** Moves the probed region of a failover series out of `region`, aggregating over observer replicas. */
function byTargetRegion(aggregation: 'max' | 'sum', expr: string, otherLabels: readonly string[] = []): string {
  return `${aggregation} by (${[TARGET_REGION_LABEL, ...otherLabels].join(', ')}) (${copyLabel(expr, 'region', TARGET_REGION_LABEL)})`;
}

/** The edge rule file: one group for the service indicators, one per other workload. */
export function edgeRecordingRules(): RuleFile {
  const services: RecordingRule[] = serviceSlis().flatMap((sli) => {
    const labels = { service: sli.service };
    const rules: RecordingRule[] = [
      { record: EDGE_SERIES.requests, expr: sli.operations, labels },
      { record: EDGE_SERIES.errors, expr: sli.failures, labels },
      {
        record: EDGE_SERIES.errorRatio,
        // No ratio without operations: 0/0 would be NaN, which no alert should read as "fine" or "failing".
        expr: `${EDGE_SERIES.errors}{service="${sli.service}"} / (${EDGE_SERIES.requests}{service="${sli.service}"} > 0)`,
        labels,
      },
    ];
    for (const quantile of sli.latencyBuckets ? LATENCY_QUANTILES : []) {
      rules.push({ record: EDGE_SERIES.latency, expr: `histogram_quantile(${quantile}, ${sli.latencyBuckets})`, labels: { ...labels, quantile } });
    }
    return rules;
  });
  // Each workload's series from its own job only: another exporter reusing a name cannot leak in.
  const failover = (name: string): string => name + selector(FAILOVER_METRICS.scope);
  const replicator = (name: string): string => name + selector(REPLICATOR_METRICS.scope);
  const cost = (name: string): string => name + selector(COST_METRICS.scope);
  const window = `[${EDGE_RATE_WINDOW}]`;
  return {
    groups: [
      { name: 'skyline-edge-services', rules: services },
      {
        name: 'skyline-edge-failover',
        rules: [
          { record: EDGE_SERIES.regionHealthy, expr: byTargetRegion('max', failover(FAILOVER_METRICS.regionHealthy)) },
          { record: EDGE_SERIES.weight, expr: byTargetRegion('max', failover(FAILOVER_METRICS.weight), ['record']) },
          { record: EDGE_SERIES.transitions, expr: byTargetRegion('sum', `increase(${failover(FAILOVER_METRICS.transitions)}${window})`, ['kind']) },
        ],
      },
      {
        name: 'skyline-edge-replicator',
        rules: [
          { record: EDGE_SERIES.copies, expr: `sum by (source, destination) (rate(${replicator(REPLICATOR_METRICS.copied)}${window}))` },
          { record: EDGE_SERIES.copyFailures, expr: `sum by (destination, reason) (rate(${replicator(REPLICATOR_METRICS.failures)}${window}))` },
          { record: EDGE_SERIES.replicationLag, expr: `max by (source, destination) (${replicator(REPLICATOR_METRICS.lagSeconds)})` },
          { record: EDGE_SERIES.replicationPending, expr: `max by (destination) (${replicator(REPLICATOR_METRICS.pending)})` },
        ],
      },
      {
        name: 'skyline-edge-cost',
        rules: [
          { record: EDGE_SERIES.costMonthToDate, expr: `sum by (provider, currency) (${cost(COST_METRICS.monthToDate)})` },
          { record: EDGE_SERIES.costForecast, expr: `max by (provider, currency, bound) (${cost(COST_METRICS.forecast)})` },
          { record: EDGE_SERIES.costBudget, expr: `max by (provider, currency) (${cost(COST_METRICS.budget)})` },
        ],
      },
    ],
  };
}
