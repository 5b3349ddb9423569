/**
 * The catalogue of Skyline's alerts: names, and the runbook page of each (`docs/runbooks/alerts/<page>.md`).
 * Rules, Alertmanager's routes and inhibitions, and the runbook check all read this list.
 */
import { FAILOVER_ALERT_NAME } from '../../services/failover/src/alerts/alerts';

export const ALERT_NAMES = {
  regionDown: 'SkylineRegionDown',
  errorBudgetBurn: 'SkylineErrorBudgetBurn',
  latency: 'SkylineLatencyAboveObjective',
  replicationLag: 'SkylineReplicationLagHigh',
  failoverHappened: 'SkylineFailoverHappened',
  costForecast: 'SkylineCostForecastOverBudget',
  watchdog: 'Watchdog',
} as const;

export type RuleAlertName = (typeof ALERT_NAMES)[keyof typeof ALERT_NAMES];

/**
 * Posted to Alertmanager by the failover controller that moved the weights (services/failover), not by a
 * rule: it means the same as SkylineFailoverHappened, from the other side.
 */
export const CONTROLLER_ALERT_NAME = FAILOVER_ALERT_NAME;

/** Alerts about one service in one region: a region-down alert for that region silences them. */
export const PER_SERVICE_ALERTS: readonly RuleAlertName[] = [ALERT_NAMES.errorBudgetBurn, ALERT_NAMES.latency, ALERT_NAMES.replicationLag];

/** Every alert that reaches Alertmanager, from a rule or a controller. */
export const ALL_ALERT_NAMES: readonly string[] = [...Object.values(ALERT_NAMES), CONTROLLER_ALERT_NAME];

/** The runbook page of an alert: `SkylineRegionDown` -> `skyline-region-down.md`. */
export function runbookPage(alertName: string): string {
  return `${alertName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.md`;
}

/** Where runbooks live in this repository, relative to its root. */
export const RUNBOOK_DIRECTORY = 'docs/runbooks/alerts';
