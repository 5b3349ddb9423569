/**
 * The label vocabulary shared by the edge rules, the federation, the global alerts, Alertmanager's routing and
 * the dashboards. A label named here is named nowhere else.
 */

/**
 * Labels every regional Prometheus adds to what leaves it (federation, alerts): which cluster a series comes
 * from. Set from the environment config by RegionalMonitoring; never present on the scraped series themselves.
 */
export const EXTERNAL_LABEL_NAMES = ['cloud', 'region', 'env'] as const;
export type ExternalLabels = Readonly<Record<(typeof EXTERNAL_LABEL_NAMES)[number], string>>;

/**
 * The Kubernetes label that tells a PrometheusRule's audience: `edge` rules run in every regional Prometheus,
 * `global` rules only in the global one. The regional Prometheus selects everything but `global`, so the
 * primary cluster's regional Prometheus never evaluates the global alerts.
 */
export const RULE_SCOPE_LABEL = 'skyline.io/rule-scope';
export type RuleScope = 'edge' | 'global';

/** The job of the global Prometheus's federation scrape: `up{job=...}` is whether it can read a region. */
export const FEDERATION_JOB = 'skyline-federation';

/**
 * The failover metrics name the probed region `region`, which would shadow the external `region` (the
 * observer) on federation. The edge rules move it here.
 */
export const TARGET_REGION_LABEL = 'target_region';

/** The workloads whose request rate, errors and latency the edge rules record, by their `service` label. */
export const SKYLINE_SERVICES = ['model-serving', 'failover', 'replicator', 'cost-analyzer'] as const;
export type SkylineService = (typeof SKYLINE_SERVICES)[number];

/** Alerts route on `severity`; the rest of these group and inhibit. */
export const ALERT_GROUP_BY = ['alertname', 'env', 'region'] as const;
