/**
 * The edge recording rules: named `level:metric:operations`, identical in every region, valid for the real
 * promtool, and computing the right values from raw series shaped as the workloads export them
 * (`promtool test rules`, 1-minute samples).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RecordingRule } from '../../../constructs/observability/prometheus-types';
import { EDGE_SERIES, edgeRecordingRules, FEDERATED_SERIES } from '../../../constructs/observability/recording-rules';
import { promtool } from '../../helpers/prometheus-peers';
import { promtoolTestRules, type ExpressionTest, type UnitTest } from './promtool-unit';
import { synthesizedObservability } from './synthesized';

const rules = edgeRecordingRules();
const recorded = rules.groups.flatMap((group) => group.rules as RecordingRule[]);

/** An instant-query expectation at 10 minutes, when every 5-minute window is full. */
const at10m = (expr: string, samples: [string, number][]): ExpressionTest => ({
  expr,
  eval_time: '10m',
  exp_samples: samples.map(([labels, value]) => ({ labels, value })),
});

/**
 * histogram_quantile's linear interpolation inside the bucket (lower, upper] holding all `total` observations,
 * computed in the same float64 steps as Prometheus, so the comparison can be exact (0.075 is 0.07500000000000001).
 */
const withinBucket = (lower: number, upper: number, quantile: number, total: number): number => lower + (upper - lower) * ((quantile * total) / total);

const serving = 'job="model-serving",namespace="ml-serving"';
const bucket = (le: string, values: string) => ({ series: `http_request_duration_seconds_bucket{${serving},handler="/predict",method="POST",le="${le}"}`, values });

const CASES: UnitTest[] = [
  {
    name: 'model-serving: user requests only, 5xx as errors, quantiles from the buckets',
    input_series: [
      { series: `http_requests_total{${serving},handler="/predict",method="POST",status="2xx"}`, values: '0+540x20' },
      { series: `http_requests_total{${serving},handler="/predict",method="POST",status="5xx"}`, values: '0+60x20' },
      // Probes, scrapes and another job's identically named counter are not the model server's traffic.
      { series: `http_requests_total{${serving},handler="/health",method="GET",status="2xx"}`, values: '0+6000x20' },
      { series: `http_requests_total{${serving},handler="/metrics",method="GET",status="2xx"}`, values: '0+600x20' },
      { series: 'http_requests_total{job="other",namespace="ml-serving",handler="/predict",method="POST",status="5xx"}', values: '0+6000x20' },
      // Every request took between 50 and 100 ms.
      bucket('0.05', '0x20'),
      bucket('0.1', '0+600x20'),
      bucket('0.25', '0+600x20'),
      bucket('+Inf', '0+600x20'),
    ],
    promql_expr_test: [
      at10m(`${EDGE_SERIES.requests}{service="model-serving"}`, [[`${EDGE_SERIES.requests}{service="model-serving"}`, 10]]),
      at10m(`${EDGE_SERIES.errors}{service="model-serving"}`, [[`${EDGE_SERIES.errors}{service="model-serving"}`, 1]]),
      at10m(`${EDGE_SERIES.errorRatio}{service="model-serving"}`, [[`${EDGE_SERIES.errorRatio}{service="model-serving"}`, 0.1]]),
      at10m(
        `${EDGE_SERIES.latency}{service="model-serving"}`,
        ['0.5', '0.95', '0.99'].map((quantile) => [`${EDGE_SERIES.latency}{service="model-serving",quantile="${quantile}"}`, withinBucket(0.05, 0.1, Number(quantile), 10)]),
      ),
    ],
  },
  {
    name: 'failover HTTP: service routes only; no 5xx series yet means 0 errors, not none',
    input_series: [
      { series: 'skyline_http_requests_total{job="failover",namespace="skyline-system",route="/observations",code="200"}', values: '0+120x20' },
      { series: 'skyline_http_requests_total{job="failover",namespace="skyline-system",route="/healthz",code="200"}', values: '0+600x20' },
      { series: 'skyline_http_request_duration_seconds_bucket{job="failover",namespace="skyline-system",route="/observations",le="0.01"}', values: '0+120x20' },
      { series: 'skyline_http_request_duration_seconds_bucket{job="failover",namespace="skyline-system",route="/observations",le="+Inf"}', values: '0+120x20' },
    ],
    promql_expr_test: [
      at10m(`${EDGE_SERIES.requests}{service="failover"}`, [[`${EDGE_SERIES.requests}{service="failover"}`, 2]]),
      at10m(`${EDGE_SERIES.errors}{service="failover"}`, [[`${EDGE_SERIES.errors}{service="failover"}`, 0]]),
      at10m(`${EDGE_SERIES.errorRatio}{service="failover"}`, [[`${EDGE_SERIES.errorRatio}{service="failover"}`, 0]]),
      // No series for a service that does not run here (cost-analyzer): absent, not 0.
      at10m(`${EDGE_SERIES.requests}{service="cost-analyzer"}`, []),
    ],
  },
  {
    name: 'cost-analyzer HTTP: a 500 counts as an error',
    input_series: [
      { series: 'skyline_http_requests_total{job="cost-analyzer",namespace="skyline-system",route="/report",code="200"}', values: '0+57x20' },
      { series: 'skyline_http_requests_total{job="cost-analyzer",namespace="skyline-system",route="/report",code="500"}', values: '0+3x20' },
    ],
    promql_expr_test: [at10m(`${EDGE_SERIES.errorRatio}{service="cost-analyzer"}`, [[`${EDGE_SERIES.errorRatio}{service="cost-analyzer"}`, 0.05]])],
  },
  {
    name: 'replicator: copies are its operations, failed copies its errors; lag and backlog kept per pair',
    input_series: [
      { series: 'skyline_replicator_objects_copied_total{job="replicator",namespace="skyline-system",source="us-west-2",destination="europe-west1"}', values: '0+570x20' },
      { series: 'skyline_replicator_failures_total{job="replicator",namespace="skyline-system",source="us-west-2",destination="europe-west1",reason="verify-mismatch"}', values: '0+30x20' },
      { series: 'skyline_replicator_lag_seconds{job="replicator",namespace="skyline-system",pod="a",source="us-west-2",destination="europe-west1"}', values: '40x20' },
      { series: 'skyline_replicator_lag_seconds{job="replicator",namespace="skyline-system",pod="b",source="us-west-2",destination="europe-west1"}', values: '75x20' },
      { series: 'skyline_replicator_pending_objects{job="replicator",namespace="skyline-system",source="us-west-2",destination="europe-west1"}', values: '12x20' },
      // Another job's series of the same name (a misnamed sidecar, say) is not the replicator's.
      { series: 'skyline_replicator_objects_copied_total{job="model-serving",namespace="ml-serving",source="us-west-2",destination="europe-west1"}', values: '0+6000x20' },
    ],
    promql_expr_test: [
      at10m(`${EDGE_SERIES.requests}{service="replicator"}`, [[`${EDGE_SERIES.requests}{service="replicator"}`, 10]]),
      at10m(`${EDGE_SERIES.errorRatio}{service="replicator"}`, [[`${EDGE_SERIES.errorRatio}{service="replicator"}`, 0.05]]),
      at10m(EDGE_SERIES.copies, [[`${EDGE_SERIES.copies}{source="us-west-2",destination="europe-west1"}`, 9.5]]),
      at10m(EDGE_SERIES.copyFailures, [[`${EDGE_SERIES.copyFailures}{destination="europe-west1",reason="verify-mismatch"}`, 0.5]]),
      at10m(EDGE_SERIES.replicationLag, [[`${EDGE_SERIES.replicationLag}{source="us-west-2",destination="europe-west1"}`, 75]]),
      at10m(EDGE_SERIES.replicationPending, [[`${EDGE_SERIES.replicationPending}{destination="europe-west1"}`, 12]]),
    ],
  },
  {
    name: 'failover controllers: the probed region moves to target_region, so federation keeps the observer in region',
    input_series: [
      { series: 'skyline_failover_region_healthy{job="failover",namespace="skyline-system",pod="failover-0",region="centralindia",cloud="azure"}', values: '0x20' },
      { series: 'skyline_failover_region_healthy{job="failover",namespace="skyline-system",pod="failover-1",region="centralindia",cloud="azure"}', values: '1x20' },
      { series: 'skyline_failover_region_healthy{job="failover",namespace="skyline-system",pod="failover-0",region="europe-west1",cloud="gcp"}', values: '0x20' },
      { series: 'skyline_failover_weight{job="failover",namespace="skyline-system",pod="failover-0",region="centralindia",record="self"}', values: '100x20' },
      { series: 'skyline_failover_weight{job="failover",namespace="skyline-system",pod="failover-0",region="centralindia",record="spill"}', values: '0x20' },
      { series: 'skyline_failover_transitions_total{job="failover",namespace="skyline-system",pod="failover-0",region="centralindia",kind="failover"}', values: '0 0 0 0 0 0 1 1 1 1 1' },
    ],
    promql_expr_test: [
      at10m(EDGE_SERIES.regionHealthy, [
        [`${EDGE_SERIES.regionHealthy}{target_region="centralindia"}`, 1],
        [`${EDGE_SERIES.regionHealthy}{target_region="europe-west1"}`, 0],
      ]),
      at10m(EDGE_SERIES.weight, [
        [`${EDGE_SERIES.weight}{target_region="centralindia",record="self"}`, 100],
        [`${EDGE_SERIES.weight}{target_region="centralindia",record="spill"}`, 0],
      ]),
      at10m(EDGE_SERIES.transitions, [[`${EDGE_SERIES.transitions}{target_region="centralindia",kind="failover"}`, 1]]),
    ],
  },
  {
    name: 'cost: spend summed per provider and currency, forecast per bound, budget',
    input_series: [
      { series: 'skyline_cost_month_to_date{job="cost-analyzer",namespace="skyline-system",provider="aws",region="us-west-2",category="Compute",service="EC2",currency="USD"}', values: '100x20' },
      { series: 'skyline_cost_month_to_date{job="cost-analyzer",namespace="skyline-system",provider="aws",region="us-east-1",category="Storage",service="S3",currency="USD"}', values: '50x20' },
      { series: 'skyline_cost_forecast_end_of_month{job="cost-analyzer",namespace="skyline-system",provider="aws",currency="USD",bound="point"}', values: '900x20' },
      { series: 'skyline_cost_budget_amount{job="cost-analyzer",namespace="skyline-system",provider="aws",currency="USD"}', values: '1000x20' },
    ],
    promql_expr_test: [
      at10m(EDGE_SERIES.costMonthToDate, [[`${EDGE_SERIES.costMonthToDate}{provider="aws",currency="USD"}`, 150]]),
      at10m(EDGE_SERIES.costForecast, [[`${EDGE_SERIES.costForecast}{provider="aws",currency="USD",bound="point"}`, 900]]),
      at10m(EDGE_SERIES.costBudget, [[`${EDGE_SERIES.costBudget}{provider="aws",currency="USD"}`, 1000]]),
    ],
  },
];

describe('edge recording rules', () => {
  it('name every series level:metric:operations, and federate exactly these', () => {
    for (const rule of recorded) expect(rule.record).toMatch(/^[a-z_]+:[a-z_]+:[a-z0-9_]+$/);
    expect([...new Set(recorded.map((rule) => rule.record))].sort()).toEqual([...FEDERATED_SERIES].sort());
  });

  it('are the same in every region, as synthesized', () => {
    const { edge } = synthesizedObservability('dev');
    expect(Object.keys(edge).sort()).toEqual(['aws-us-west-2', 'azure-centralindia', 'gcp-europe-west1']);
    for (const values of Object.values(edge)) expect(values.rules).toEqual(rules);
  });

  it('pass promtool check rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyline-edge-rules-'));
    try {
      writeFileSync(join(dir, 'edge.yml'), stringify(rules));
      const result = promtool(['check', 'rules', join(dir, 'edge.yml')]);
      expect(result.output).toContain(`SUCCESS: ${recorded.length} rules found`);
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('record the right values from raw series (promtool test rules)', () => {
    const result = promtoolTestRules(rules, CASES);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('would catch a wrong expectation (the promtool harness can fail)', () => {
    const wrong: UnitTest = { ...CASES[0], promql_expr_test: [at10m(`${EDGE_SERIES.requests}{service="model-serving"}`, [[`${EDGE_SERIES.requests}{service="model-serving"}`, 11]])] };
    const result = promtoolTestRules(rules, [wrong]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('FAILED');
  });
});
