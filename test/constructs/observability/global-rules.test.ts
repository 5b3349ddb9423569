/**
 * The global rules, as the prod environment synthesizes them (99.9 % availability, 0.5 s p95, 600 s lag, three
 * regions): valid for the real promtool, and every alert both fires when it should and stays quiet when it
 * should not (`promtool test rules` over federated series shaped as the edge records them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ALERT_NAMES, runbookPage } from '../../../constructs/observability/alerts';
import { FEDERATION_JOB } from '../../../constructs/observability/labels';
import { isAlertingRule, type AlertingRule, type RuleFile } from '../../../constructs/observability/prometheus-types';
import { EDGE_SERIES } from '../../../constructs/observability/recording-rules';
import { promtool } from '../../helpers/prometheus-peers';
import { promtoolTestRules, type ExpectedAlert, type UnitTest } from './promtool-unit';
import { synthesizedObservability } from './synthesized';

const { global } = synthesizedObservability('prod');
const rules: RuleFile = global.rules;
const alertRules = rules.groups.flatMap((group) => group.rules.filter(isAlertingRule));
const RUNBOOKS = 'https://github.com/example/skyline/blob/main/docs/runbooks/alerts/';

/** Labels of a federated series from us-west-2 (the regional Prometheus's external labels), plus `extra`. */
function federated(name: string, extra: Record<string, string>, origin: Record<string, string> = { region: 'us-west-2', cloud: 'aws' }): string {
  const labels = { ...extra, ...origin, env: 'prod' };
  return `${name}{${Object.entries(labels).map(([label, value]) => `${label}="${value}"`).join(',')}}`;
}

/**
 * The alert as promtool reports it: the rule's labels plus `labels`, and its annotations with `$labels.x`
 * and `$value` (rendered as `valueText`, e.g. "10%" for humanizePercentage) filled in.
 */
function expected(alert: string, severity: string, labels: Record<string, string>, valueText = ''): ExpectedAlert {
  const rule = alertRules.find((candidate): candidate is AlertingRule => candidate.alert === alert && candidate.labels.severity === severity);
  if (!rule) throw new Error(`no ${severity} rule ${alert}`);
  const render = (template: string): string =>
    template.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, label: string) => labels[label] ?? '').replace(/\{\{ \$value( \| [a-zA-Z]+)? \}\}/g, valueText);
  return {
    exp_labels: { ...labels, severity },
    exp_annotations: { summary: render(rule.annotations.summary), description: render(rule.annotations.description), runbook_url: rule.annotations.runbook_url },
  };
}

const serving = { service: 'model-serving' };
/** A steady service: `requests` per second, `errors` of them failing, for `minutes` minutes. */
function traffic(requests: string, errors: string, ratio: string): UnitTest['input_series'] {
  return [
    { series: federated(EDGE_SERIES.requests, serving), values: requests },
    { series: federated(EDGE_SERIES.errors, serving), values: errors },
    { series: federated(EDGE_SERIES.errorRatio, serving), values: ratio },
  ];
}

const up = (region: string, cloud: string, values: string) => ({ series: `up{job="${FEDERATION_JOB}",instance="${region}.control.ml.example.com:443",region="${region}",cloud="${cloud}"}`, values });
/** The edge series of one observing region about a target region. */
const seen = (observer: string, target: string, values: string) => ({
  series: federated(EDGE_SERIES.regionHealthy, { target_region: target }, { region: observer, cloud: 'any' }),
  values,
});

/** Every alert gets at least one case that fires and one that stays quiet (the Watchdog, by design, never is). */
const CASES: UnitTest[] = [
  {
    name: 'region down: unreachable by federation for 3 minutes',
    input_series: [up('us-west-2', 'aws', '1x10'), up('europe-west1', 'gcp', '1x10'), up('centralindia', 'azure', '0x10')],
    alert_rule_test: [
      { eval_time: '2m', alertname: ALERT_NAMES.regionDown, exp_alerts: [] },
      { eval_time: '5m', alertname: ALERT_NAMES.regionDown, exp_alerts: [expected(ALERT_NAMES.regionDown, 'critical', { region: 'centralindia' })] },
    ],
  },
  {
    name: 'region down: a quorum (2 of 3) of failover observers sees it failing, even if its Prometheus still answers',
    input_series: [
      up('centralindia', 'azure', '1x10'),
      seen('us-west-2', 'centralindia', '0x10'),
      seen('europe-west1', 'centralindia', '0x10'),
      seen('centralindia', 'centralindia', '1x10'),
      // One observer alone is a partition, not an outage.
      seen('us-west-2', 'europe-west1', '0x10'),
      seen('centralindia', 'europe-west1', '1x10'),
    ],
    alert_rule_test: [{ eval_time: '5m', alertname: ALERT_NAMES.regionDown, exp_alerts: [expected(ALERT_NAMES.regionDown, 'critical', { region: 'centralindia' })] }],
  },
  {
    name: 'error budget: 10 % errors page within minutes (1h and 5m above 14.4x) and open a ticket after 15',
    input_series: traffic('10x120', '1x120', '0.1x120'),
    alert_rule_test: [
      { eval_time: '10m', alertname: ALERT_NAMES.errorBudgetBurn, exp_alerts: [expected(ALERT_NAMES.errorBudgetBurn, 'critical', { ...serving, region: 'us-west-2', cloud: 'aws', env: 'prod' }, '10%')] },
      {
        eval_time: '20m',
        alertname: ALERT_NAMES.errorBudgetBurn,
        exp_alerts: [
          expected(ALERT_NAMES.errorBudgetBurn, 'critical', { ...serving, region: 'us-west-2', cloud: 'aws', env: 'prod' }, '10%'),
          expected(ALERT_NAMES.errorBudgetBurn, 'warning', { ...serving, region: 'us-west-2', cloud: 'aws', env: 'prod' }, '10%'),
        ],
      },
    ],
  },
  {
    name: 'error budget: 0.05 % errors, within the 0.1 % budget, never alert',
    input_series: traffic('10x300', '0.005x300', '0.0005x300'),
    alert_rule_test: [{ eval_time: '300m', alertname: ALERT_NAMES.errorBudgetBurn, exp_alerts: [] }],
  },
  {
    name: 'error budget: once the burn stops, the short windows end the page; the slow-burn ticket stays',
    input_series: traffic('10x180', '1x59 0x120', '0.1x59 0x120'),
    alert_rule_test: [
      {
        eval_time: '100m',
        alertname: ALERT_NAMES.errorBudgetBurn,
        // 60 failed of 1010 over the day window so far.
        exp_alerts: [expected(ALERT_NAMES.errorBudgetBurn, 'warning', { ...serving, region: 'us-west-2', cloud: 'aws', env: 'prod' }, '5.941%')],
      },
    ],
  },
  {
    name: 'latency: p95 above 0.5 s for 15 minutes; p99 alone never alerts',
    input_series: [
      { series: federated(EDGE_SERIES.latency, { ...serving, quantile: '0.95' }), values: '0.8x30' },
      { series: federated(EDGE_SERIES.latency, { service: 'failover', quantile: '0.95' }), values: '0.3x30' },
      { series: federated(EDGE_SERIES.latency, { service: 'failover', quantile: '0.99' }), values: '2x30' },
    ],
    alert_rule_test: [
      { eval_time: '10m', alertname: ALERT_NAMES.latency, exp_alerts: [] },
      { eval_time: '20m', alertname: ALERT_NAMES.latency, exp_alerts: [expected(ALERT_NAMES.latency, 'warning', { ...serving, quantile: '0.95', region: 'us-west-2', cloud: 'aws', env: 'prod' }, '800ms')] },
    ],
  },
  {
    name: 'replication lag: above 600 s for 10 minutes; a lag under the threshold is fine',
    input_series: [
      { series: federated(EDGE_SERIES.replicationLag, { source: 'us-west-2', destination: 'centralindia' }), values: '1200x20' },
      { series: federated(EDGE_SERIES.replicationLag, { source: 'us-west-2', destination: 'europe-west1' }), values: '300x20' },
    ],
    alert_rule_test: [
      { eval_time: '5m', alertname: ALERT_NAMES.replicationLag, exp_alerts: [] },
      {
        eval_time: '15m',
        alertname: ALERT_NAMES.replicationLag,
        exp_alerts: [expected(ALERT_NAMES.replicationLag, 'warning', { source: 'us-west-2', destination: 'centralindia', region: 'us-west-2', cloud: 'aws', env: 'prod' }, '20m 0s')],
      },
    ],
  },
  {
    name: 'failover happened: a failover transition of a region fires for that region; a restore step does not',
    input_series: [
      { series: federated(EDGE_SERIES.transitions, { target_region: 'us-west-2', kind: 'failover' }, { region: 'europe-west1', cloud: 'gcp' }), values: '0 0 1 1 1 1 1 0 0 0' },
      { series: federated(EDGE_SERIES.transitions, { target_region: 'centralindia', kind: 'restore-step' }, { region: 'us-west-2', cloud: 'aws' }), values: '1x9' },
    ],
    alert_rule_test: [
      { eval_time: '3m', alertname: ALERT_NAMES.failoverHappened, exp_alerts: [expected(ALERT_NAMES.failoverHappened, 'critical', { region: 'us-west-2' })] },
      { eval_time: '9m', alertname: ALERT_NAMES.failoverHappened, exp_alerts: [] },
    ],
  },
  {
    name: 'cost: a point forecast over budget for 30 minutes, once per provider whichever regions report it',
    input_series: [
      { series: federated(EDGE_SERIES.costForecast, { provider: 'aws', currency: 'USD', bound: 'point' }), values: '30000x60' },
      { series: federated(EDGE_SERIES.costForecast, { provider: 'aws', currency: 'USD', bound: 'point' }, { region: 'europe-west1', cloud: 'gcp' }), values: '30000x60' },
      { series: federated(EDGE_SERIES.costForecast, { provider: 'aws', currency: 'USD', bound: 'lower' }), values: '20000x60' },
      { series: federated(EDGE_SERIES.costBudget, { provider: 'aws', currency: 'USD' }), values: '25000x60' },
      // Under budget, even with an upper bound above it: the point forecast decides.
      { series: federated(EDGE_SERIES.costForecast, { provider: 'gcp', currency: 'USD', bound: 'point' }), values: '10000x60' },
      { series: federated(EDGE_SERIES.costForecast, { provider: 'gcp', currency: 'USD', bound: 'upper' }), values: '40000x60' },
      { series: federated(EDGE_SERIES.costBudget, { provider: 'gcp', currency: 'USD' }), values: '15000x60' },
    ],
    alert_rule_test: [
      { eval_time: '20m', alertname: ALERT_NAMES.costForecast, exp_alerts: [] },
      { eval_time: '40m', alertname: ALERT_NAMES.costForecast, exp_alerts: [expected(ALERT_NAMES.costForecast, 'warning', { provider: 'aws', currency: 'USD' }, '30k')] },
    ],
  },
  {
    name: 'watchdog: always firing',
    input_series: [],
    alert_rule_test: [{ eval_time: '1m', alertname: ALERT_NAMES.watchdog, exp_alerts: [expected(ALERT_NAMES.watchdog, 'none', {})] }],
  },
];

describe('global rules (prod)', () => {
  it('give every alert a severity, a summary, a description and a runbook link', () => {
    expect([...new Set(alertRules.map((rule) => rule.alert))].sort()).toEqual(Object.values(ALERT_NAMES).sort());
    for (const rule of alertRules) {
      expect(['critical', 'warning', 'none']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(rule.annotations.description.length).toBeGreaterThan(20);
      expect(rule.annotations.runbook_url).toBe(`${RUNBOOKS}${runbookPage(rule.alert)}`);
    }
  });

  it('hold the environment thresholds: 14.4 x 0.1 % for the fast page, 0.5 s, 600 s, 2 of 3 observers', () => {
    const exprOf = (alert: string, severity: string) => alertRules.find((rule) => rule.alert === alert && rule.labels.severity === severity)?.expr;
    expect(exprOf(ALERT_NAMES.errorBudgetBurn, 'critical')).toContain('service:skyline_request_errors:ratio_rate1h > 0.0144 and service:skyline_request_errors:ratio_rate5m > 0.0144');
    expect(exprOf(ALERT_NAMES.latency, 'warning')).toMatch(/> 0\.5$/);
    expect(exprOf(ALERT_NAMES.replicationLag, 'warning')).toMatch(/> 600$/);
    expect(exprOf(ALERT_NAMES.regionDown, 'critical')).toContain('>= 2');
  });

  it('pass promtool check rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyline-global-rules-'));
    try {
      writeFileSync(join(dir, 'global.yml'), stringify(rules));
      const result = promtool(['check', 'rules', join(dir, 'global.yml')]);
      const count = rules.groups.reduce((sum, group) => sum + group.rules.length, 0);
      expect(result.output).toContain(`SUCCESS: ${count} rules found`);
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('have a firing and a quiet case for every alert (the Watchdog only fires)', () => {
    const tests = CASES.flatMap((unit) => unit.alert_rule_test ?? []);
    for (const alert of Object.values(ALERT_NAMES)) {
      expect(tests.some((test) => test.alertname === alert && test.exp_alerts.length > 0)).toBe(true);
      if (alert !== ALERT_NAMES.watchdog) expect(tests.some((test) => test.alertname === alert && test.exp_alerts.length === 0)).toBe(true);
    }
  });

  it('fire and stay quiet as expected (promtool test rules)', () => {
    const result = promtoolTestRules(rules, CASES);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
