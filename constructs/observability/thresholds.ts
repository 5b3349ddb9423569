/**
 * Every number the rules and alerts are built from: the per-environment objectives (from the environment
 * config) and the fixed windows, burn rates and delays. Nothing in a rule or dashboard is a literal threshold.
 */
import type { Severity } from './prometheus-types';

export interface AlertThresholds {
  /** Share of operations that must succeed over 30 days, e.g. 0.999; its complement is the error budget. */
  readonly availability: number;
  /** The p95 latency objective of request-serving services, in seconds. */
  readonly latencyP95Seconds: number;
  /** Replication lag above which a destination is behind, in seconds. */
  readonly replicationLagSeconds: number;
  /**
   * How many regions' failover controllers must see a region failing before it is called down: the
   * controllers' own quorum (a majority of the regions).
   */
  readonly regionDownQuorum: number;
}

/** The rate window of every edge rule; it is part of the recorded names (`rate5m`). */
export const EDGE_RATE_WINDOW = '5m';

/** The latency quantiles recorded at the edge, as the `quantile` label values. */
export const LATENCY_QUANTILES = ['0.5', '0.95', '0.99'] as const;

/** One window pair of a multi-window burn-rate alert: both windows must burn faster than `factor`. */
export interface BurnWindow {
  readonly long: string;
  readonly short: string;
  /** Multiple of the error budget's steady spend rate (1 = exactly the budget over 30 days). */
  readonly factor: number;
}

export interface BurnRateAlert {
  readonly severity: Exclude<Severity, 'none'>;
  readonly for: string;
  readonly windows: readonly BurnWindow[];
}

/**
 * The multi-window, multi-burn-rate alerts of the Google SRE workbook ("Alerting on SLOs", 30-day window):
 * page when 2 % of the budget goes in an hour or 5 % in six hours; open a ticket (chat) when 10 % goes in a day
 * or the whole budget would go in 30 days. The short window (1/12 of the long) ends the alert soon after the
 * burn stops.
 */
export const BURN_RATE_ALERTS: readonly BurnRateAlert[] = [
  {
    severity: 'critical',
    for: '2m',
    windows: [
      { long: '1h', short: '5m', factor: 14.4 },
      { long: '6h', short: '30m', factor: 6 },
    ],
  },
  {
    severity: 'warning',
    for: '15m',
    windows: [
      { long: '1d', short: '2h', factor: 3 },
      { long: '3d', short: '6h', factor: 1 },
    ],
  },
];

/** The longer error-ratio windows the global Prometheus records from the federated 5-minute rates. */
export const ERROR_RATIO_WINDOWS: readonly string[] = [
  ...new Set(BURN_RATE_ALERTS.flatMap((alert) => alert.windows.flatMap((window) => [window.long, window.short]))),
].filter((window) => window !== EDGE_RATE_WINDOW);

/** The largest burn factor: above it, factor x budget would exceed 100 % errors and the page could never fire. */
export const MAX_BURN_FACTOR = Math.max(...BURN_RATE_ALERTS.flatMap((alert) => alert.windows.map((window) => window.factor)));

/** The lowest availability objective the burn-rate alerts can serve: 1 - 1 / MAX_BURN_FACTOR (93.06 %). */
export const MIN_AVAILABILITY = 1 - 1 / MAX_BURN_FACTOR;

/** How long a condition must hold before its alert fires. */
export const ALERT_DELAYS = {
  /** A region unreachable or failing for three federation scrapes' worth and more: not a blip. */
  regionDown: '3m',
  latency: '15m',
  replicationLag: '10m',
  /** Forecasts move slowly; half an hour above budget is a trend, not a refresh artefact. */
  costForecast: '30m',
} as const;

/** How often the global Prometheus federates each region (and evaluates its rules). */
export const FEDERATION_INTERVAL = '30s';
/** A federation scrape slower than this fails (and counts as the region being unreachable). */
export const FEDERATION_TIMEOUT = '20s';
