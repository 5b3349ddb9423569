/**
 * Every Grafana dashboard, generated here and committed as JSON in the global-observability chart
 * (`npm run generate:dashboards` writes them; a test fails when they are stale). The release provisions the
 * committed files, so the repository holds exactly what Grafana shows.
 */
import type { GrafanaDashboard } from './dashboards/grafana-json';
import { overviewDashboard } from './dashboards/overview';
import { serviceDashboards } from './dashboards/services';

export function allDashboards(): GrafanaDashboard[] {
  return [overviewDashboard(), ...serviceDashboards()];
}

/** The file a dashboard is committed as: `<uid>.json`. */
export function dashboardFileName(dashboard: GrafanaDashboard): string {
  return `${dashboard.uid}.json`;
}

/** The committed form: two-space JSON and a final newline, so diffs stay readable. */
export function dashboardJson(dashboard: GrafanaDashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
