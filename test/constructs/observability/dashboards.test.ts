/**
 * The Grafana dashboards: the committed JSON is what the generator writes; every query reads only series the
 * global Prometheus has (federated edge series, its own recorded windows, `up` of the federation job); the
 * overview has what the issue asks for; and the release provisions them with the datasource they name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allDashboards, dashboardFileName, dashboardJson } from '../../../constructs/observability/dashboards';
import { GLOBAL_DATASOURCE_UID } from '../../../constructs/observability/dashboards/grafana-json';
import { OVERVIEW_QUERIES } from '../../../constructs/observability/dashboards/overview';
import { errorRatioSeries } from '../../../constructs/observability/global-rules';
import { SKYLINE_SERVICES } from '../../../constructs/observability/labels';
import { FEDERATED_SERIES } from '../../../constructs/observability/recording-rules';
import { ERROR_RATIO_WINDOWS } from '../../../constructs/observability/thresholds';
import { GLOBAL_OBSERVABILITY_CHART_DIR, globalObservabilityValues } from '../../../constructs/workloads/global-observability';

const DASHBOARD_DIR = join(GLOBAL_OBSERVABILITY_CHART_DIR, 'dashboards');
const dashboards = allDashboards();

interface Panel {
  readonly title: string;
  readonly datasource: { readonly uid: string };
  readonly targets: readonly { readonly expr: string; readonly datasource: { readonly uid: string } }[];
}
const panelsOf = (dashboard: object): Panel[] => (dashboard as { panels: Panel[] }).panels;

/** Metric names a PromQL expression reads (identifiers followed by a selector or a range, or standing alone before `)`). */
function seriesRead(expr: string): string[] {
  const names = expr.match(/[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]+|\bup\b/g) ?? [];
  return [...new Set(names)];
}

describe('dashboards', () => {
  it('are committed exactly as generated (run `npm run generate:dashboards` after a change)', () => {
    const committed = readdirSync(DASHBOARD_DIR).filter((file) => file.endsWith('.json')).sort();
    expect(committed).toEqual(dashboards.map(dashboardFileName).sort());
    for (const dashboard of dashboards) expect(readFileSync(join(DASHBOARD_DIR, dashboardFileName(dashboard)), 'utf8')).toBe(dashboardJson(dashboard));
  });

  it('are the overview and one per workload, with unique uids', () => {
    expect(dashboards.map((dashboard) => dashboard.uid)).toEqual(['skyline-overview', ...SKYLINE_SERVICES.map((service) => `skyline-${service}`)]);
  });

  it('read only series the global Prometheus has, through the provisioned datasource', () => {
    const available = new Set([...FEDERATED_SERIES, ...ERROR_RATIO_WINDOWS.map(errorRatioSeries), 'up']);
    for (const dashboard of dashboards) {
      for (const panel of panelsOf(dashboard)) {
        expect(panel.datasource.uid).toBe(GLOBAL_DATASOURCE_UID);
        expect(panel.targets.length).toBeGreaterThan(0);
        for (const target of panel.targets) {
          expect(target.datasource.uid).toBe(GLOBAL_DATASOURCE_UID);
          const read = seriesRead(target.expr);
          expect(read.length).toBeGreaterThan(0);
          for (const name of read) expect({ panel: `${dashboard.uid}: ${panel.title}`, name, known: available.has(name) }).toEqual({ panel: `${dashboard.uid}: ${panel.title}`, name, known: true });
        }
      }
    }
  });

  it('give the overview request rate, p95 latency, error ratio, weights, replication lag, spend and forecast', () => {
    const overview = panelsOf(dashboards[0]).flatMap((panel) => panel.targets.map((target) => target.expr));
    for (const query of ['requestRate', 'p95Latency', 'errorRatio', 'trafficWeights', 'replicationLag', 'costMonthToDate', 'costForecast', 'costBudget'] as const) {
      expect(overview).toContain(OVERVIEW_QUERIES[query]);
    }
    for (const perRegion of [OVERVIEW_QUERIES.requestRate, OVERVIEW_QUERIES.p95Latency, OVERVIEW_QUERIES.errorRatio]) expect(perRegion).toMatch(/^sum by \(region\)|^max by \(region\)/);
  });

  it('are provisioned against the datasource uid the release creates', () => {
    const values = globalObservabilityValues({
      env: 'dev',
      regions: [{ region: 'us-west-2', cloud: 'aws', federationHostname: 'us-west-2.control.ml.example.com' }],
      availabilityPercent: 99,
      latencyP95Seconds: 1,
      replicationLagThresholdSeconds: 600,
      receivers: { pager: { kind: 'webhook', url: 'https://x.example.com/p' }, chat: { kind: 'webhook', url: 'https://x.example.com/c' }, deadMansSwitch: { kind: 'webhook', url: 'https://x.example.com/d' } },
      runbookBaseUrl: 'https://example.com/runbooks/',
      prometheusRetentionDays: 15,
      prometheusStorageGiB: 20,
      prometheusReplicas: 1,
      prometheusCpuMillicores: 250,
      prometheusMemoryMiB: 1024,
    });
    expect(values.grafana.datasourceUid).toBe(GLOBAL_DATASOURCE_UID);
  });
});
