/**
 * The rules of the global Prometheus, over the federated edge series: the longer error-ratio windows the
 * burn-rate alerts need, and every alert. Each alert has a severity, a summary, a description and a runbook link.
 */
import { ALERT_NAMES, runbookPage } from './alerts';
import { FEDERATION_JOB, TARGET_REGION_LABEL } from './labels';
import type { AlertingRule, RecordingRule, RuleFile, Severity } from './prometheus-types';
import { copyLabel } from './promql';
import { EDGE_SERIES } from './recording-rules';
import { ALERT_DELAYS, BURN_RATE_ALERTS, EDGE_RATE_WINDOW, ERROR_RATIO_WINDOWS, type AlertThresholds } from './thresholds';

/** The error ratio of a window: the federated 5-minute ratio, or one the global rules record. */
export function errorRatioSeries(window: string): string {
  return window === EDGE_RATE_WINDOW ? EDGE_SERIES.errorRatio : EDGE_SERIES.errorRatio.replace(`ratio_rate${EDGE_RATE_WINDOW}`, `ratio_rate${window}`);
}

/** A threshold as PromQL reads it: no float noise such as 0.014400000000000012. */
function literal(value: number): string {
  return String(Number(value.toPrecision(12)));
}

export interface GlobalRulesProps {
  readonly thresholds: AlertThresholds;
  /** Base URL the runbook pages are appended to, ending in `/` (e.g. the repository's docs/runbooks/alerts/). */
  readonly runbookBaseUrl: string;
}

export function globalRules(props: GlobalRulesProps): RuleFile {
  const { thresholds } = props;
  const alert = (name: string, severity: Severity, expr: string, delay: string | undefined, summary: string, description: string): AlertingRule => ({
    alert: name,
    expr,
    ...(delay ? { for: delay } : {}),
    labels: { severity },
    annotations: { summary, description, runbook_url: `${props.runbookBaseUrl}${runbookPage(name)}` },
  });

  // sum_over_time of the 5-minute rates weighs every moment of the window alike: the ratio of the sums is the
  // window's error ratio (an average of ratios would not be).
  const errorRatios: RecordingRule[] = ERROR_RATIO_WINDOWS.map((window) => ({
    record: errorRatioSeries(window),
    expr: `sum_over_time(${EDGE_SERIES.errors}[${window}]) / (sum_over_time(${EDGE_SERIES.requests}[${window}]) > 0)`,
  }));

  const budget = 1 - thresholds.availability;
  const burnAlerts = BURN_RATE_ALERTS.map((burn) =>
    alert(
      ALERT_NAMES.errorBudgetBurn,
      burn.severity,
      burn.windows
        .map((window) => {
          const limit = literal(window.factor * budget);
          return `(${errorRatioSeries(window.long)} > ${limit} and ${errorRatioSeries(window.short)} > ${limit})`;
        })
        .join(' or '),
      burn.for,
      `{{ $labels.service }} in {{ $labels.region }} is spending its error budget ${burn.severity === 'critical' ? 'fast' : 'steadily'}`,
      `Over the long window, errors are {{ $value | humanizePercentage }} of {{ $labels.service }}'s operations in {{ $labels.region }}: ` +
        `at this rate the ${literal(thresholds.availability * 100)} % objective's 30-day error budget is gone in ` +
        `${burn.windows.map((window) => `${(30 / window.factor).toFixed(1)} days or less (burn seen over ${window.long})`).join(', or ')}.`,
    ),
  );

  const unreachable = `max by (region) (up{job="${FEDERATION_JOB}"}) == 0`;
  const failingForQuorum = `max by (region) (${copyLabel(`count by (${TARGET_REGION_LABEL}) (${EDGE_SERIES.regionHealthy} == 0) >= ${thresholds.regionDownQuorum}`, TARGET_REGION_LABEL, 'region')})`;
  const failovers = `max by (region) (${copyLabel(`sum by (${TARGET_REGION_LABEL}) (${EDGE_SERIES.transitions}{kind="failover"}) > 0`, TARGET_REGION_LABEL, 'region')})`;
  const costPair = (series: string, matcher = ''): string => `max by (provider, currency) (${series}${matcher})`;

  return {
    groups: [
      {
        // One group, the error ratios first: rules of a group run in order at the same instant, so every alert reads
        // the ratios of this evaluation. In two groups the alerts could read the previous one's (and promtool's unit
        // tests, which evaluate groups in no fixed order, saw either).
        name: 'skyline-global',
        rules: [
          ...errorRatios,
          alert(
            ALERT_NAMES.regionDown,
            'critical',
            `(${unreachable}) or ${failingForQuorum}`,
            ALERT_DELAYS.regionDown,
            'Region {{ $labels.region }} is down',
            'The global Prometheus cannot federate the region\'s Prometheus through its gateway, or failover controllers in ' +
              `${thresholds.regionDownQuorum} or more regions see its endpoint failing.`,
          ),
          ...burnAlerts,
          alert(
            ALERT_NAMES.latency,
            'warning',
            `${EDGE_SERIES.latency}{quantile="0.95"} > ${literal(thresholds.latencyP95Seconds)}`,
            ALERT_DELAYS.latency,
            '{{ $labels.service }} in {{ $labels.region }} is slower than its latency objective',
            `The 95th percentile latency is {{ $value | humanizeDuration }}, above the ${literal(thresholds.latencyP95Seconds)} s objective.`,
          ),
          alert(
            ALERT_NAMES.replicationLag,
            'warning',
            `${EDGE_SERIES.replicationLag} > ${literal(thresholds.replicationLagSeconds)}`,
            ALERT_DELAYS.replicationLag,
            'Models replicate late from {{ $labels.source }} to {{ $labels.destination }}',
            `The oldest object not yet copied is {{ $value | humanizeDuration }} old (threshold ${literal(thresholds.replicationLagSeconds)} s): ` +
              'the destination may serve an older model version.',
          ),
          alert(
            ALERT_NAMES.failoverHappened,
            'critical',
            failovers,
            undefined,
            'Traffic of {{ $labels.region }} was failed over',
            'A failover controller moved the region\'s Route53 weights to its spill target in the last ' + `${EDGE_RATE_WINDOW}.`,
          ),
          alert(
            ALERT_NAMES.costForecast,
            'warning',
            `${costPair(EDGE_SERIES.costForecast, '{bound="point"}')} > on (provider, currency) ${costPair(EDGE_SERIES.costBudget)}`,
            ALERT_DELAYS.costForecast,
            '{{ $labels.provider }} spend is forecast over budget this month',
            'The end-of-month forecast is {{ $value | humanize }} {{ $labels.currency }}, more than the monthly budget.',
          ),
          alert(
            ALERT_NAMES.watchdog,
            'none',
            'vector(1)',
            undefined,
            'The alerting pipeline works',
            'Always firing. The dead man\'s switch receiver expects it continuously; it pages when it stops arriving.',
          ),
        ],
      },
    ],
  };
}
