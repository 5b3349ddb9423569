/**
 * The local platform runs the services with their deployed logic but shortened intervals, so that a whole
 * failover and restore fits in seconds. Every shortened setting is here; `describeIntervals` prints each beside
 * what the environment deploys, at start-up: figures measured locally are not the deployed ones.
 */
import { ALERT_DELAYS, FEDERATION_INTERVAL } from '../../constructs/observability/thresholds';
import type { EnvironmentConfig } from '../../stacks/environments/schema';

/** Local values, in seconds. */
export const LOCAL_INTERVALS = {
  /** Failover probe round (the peers are polled twice per round). */
  failoverProbe: 1,
  /** How long each restore step is held before the next. */
  restoreSoak: 3,
  /** Re-send cadence of an active failover alert. */
  alertRepeat: 2,
  /** The replicator's full list-compare-repair pass (bucket events trigger copies at once either way). */
  replicatorReconcile: 10,
  /** How often each region's sync sidecar looks for a newer complete version. */
  syncPoll: 1,
  /** Every Prometheus's scrape and rule evaluation, and the global one's federation. */
  prometheus: 1,
  /** How often the cost analyzer re-reads the billing exports. */
  costRefresh: 60,
  /** The longest an alert rule's condition must hold before it fires (its `for`). */
  alertFor: 5,
} as const;

/**
 * The failover controller's defaults, which the workloads stacks keep (services/failover/src/config.ts):
 * restore steps held 300 s, alerts re-sent every 60 s.
 */
const FAILOVER_DEFAULTS = { restoreSoakSeconds: 300, alertRepeatSeconds: 60 } as const;
/** The cost analyzer's default refresh, which the workloads stack keeps (services/cost-analyzer/src/config.ts). */
const COST_REFRESH_DEFAULT_SECONDS = 3600;

/** For the start-up banner, one item per interval: `failover probes every 1 s (dev: 30 s)`. */
export function describeIntervals(environment: EnvironmentConfig): string[] {
  const env = environment.name;
  const line = (what: string, local: number, deployed: string): string => `${what} ${local} s (${env}: ${deployed})`;
  return [
    line('failover probes every', LOCAL_INTERVALS.failoverProbe, `${environment.dns.healthCheckIntervalSeconds} s`),
    line('restore steps held for', LOCAL_INTERVALS.restoreSoak, `${FAILOVER_DEFAULTS.restoreSoakSeconds} s`),
    line('failover alerts re-sent every', LOCAL_INTERVALS.alertRepeat, `${FAILOVER_DEFAULTS.alertRepeatSeconds} s`),
    line('sync sidecars poll every', LOCAL_INTERVALS.syncPoll, `${environment.replication.syncIntervalSeconds} s`),
    line('replication reconciled every', LOCAL_INTERVALS.replicatorReconcile, `${environment.replication.reconcileIntervalSeconds} s`),
    line('billing exports re-read every', LOCAL_INTERVALS.costRefresh, `${COST_REFRESH_DEFAULT_SECONDS} s`),
    // The operator's 30 s scrape default for the regional Prometheus; the global one federates at FEDERATION_INTERVAL.
    line('Prometheus scrapes, evaluates and federates every', LOCAL_INTERVALS.prometheus, `30 s, federation ${FEDERATION_INTERVAL.replace(/^(\d+)s$/, '$1 s')}`),
    line('alert rules hold for', LOCAL_INTERVALS.alertFor, `SkylineRegionDown ${ALERT_DELAYS.regionDown}, SkylineCostForecastOverBudget ${ALERT_DELAYS.costForecast}`),
  ];
}
