/**
 * The raw series the edge rules read, as the workloads export them. These are contracts with other code: a
 * rename there must be made here too (test/constructs/observability checks the names against the real
 * exporters where they live in this repository).
 */
import { BUNDLED_SERVICES } from '../common/bundled-services';
import { NAMESPACES } from '../workloads/namespaces';

/**
 * The model server (prometheus-fastapi-instrumentator conventions). Its ServiceMonitor targets the Service
 * named after the release, so `job` is the release name.
 */
export const MODEL_SERVING_METRICS = {
  job: 'model-serving',
  namespace: NAMESPACES.serving.name,
  /** Counter `{handler, method, status}`; status is grouped (`2xx`, `5xx`) or exact (`503`). */
  requests: 'http_requests_total',
  /** Histogram `{handler, method, le}`. */
  duration: 'http_request_duration_seconds',
  /** The kubelet's probes and Prometheus's scrapes: not user traffic. */
  excludedHandlers: ['/health', '/metrics'],
} as const;

/**
 * The bundled services' HTTP port (services/common/src/http-server.ts). Each service's ServiceMonitor targets
 * the Service named after its release, which is the service's name.
 */
export const SERVICE_HTTP_METRICS = {
  namespace: NAMESPACES.system.name,
  jobs: BUNDLED_SERVICES,
  /** Counter `{route, code}`. */
  requests: 'skyline_http_requests_total',
  /** Histogram `{route, le}`. */
  duration: 'skyline_http_request_duration_seconds',
  /** Probes and scrapes: not service traffic. */
  excludedRoutes: ['/healthz', '/readyz', '/metrics'],
} as const;

/** The replicator: its operations are object copies. Its ServiceMonitor's job is its release, `replicator`. */
export const REPLICATOR_METRICS = {
  scope: { job: 'replicator', namespace: NAMESPACES.system.name },
  /** Counter `{source, destination}`. */
  copied: 'skyline_replicator_objects_copied_total',
  /** Counter `{source, destination, reason}`. */
  failures: 'skyline_replicator_failures_total',
  /** Gauge `{source, destination}`: age of the oldest source version not yet complete at the destination. */
  lagSeconds: 'skyline_replicator_lag_seconds',
  /** Gauge `{source, destination}`: objects still to copy. */
  pending: 'skyline_replicator_pending_objects',
} as const;

/** The failover controller (services/failover/src/metrics.ts); `region` there is the probed region. */
export const FAILOVER_METRICS = {
  scope: { job: 'failover', namespace: NAMESPACES.system.name },
  /** Gauge `{region, cloud}`: 1 if this observer's latest probe of the region passed. */
  regionHealthy: 'skyline_failover_region_healthy',
  /** Gauge `{region, record}`: the Route53 weight of the region's `self` or `spill` record. */
  weight: 'skyline_failover_weight',
  /** Counter `{region, kind}`: kind failover, restore-step, restore-abort, restored, repair. */
  transitions: 'skyline_failover_transitions_total',
} as const;

/** The cost analyzer (services/cost-analyzer/src/metrics.ts). */
export const COST_METRICS = {
  scope: { job: 'cost-analyzer', namespace: NAMESPACES.system.name },
  /** Gauge `{provider, region, category, service, currency}`. */
  monthToDate: 'skyline_cost_month_to_date',
  /** Gauge `{provider, currency, bound}`, bound `point`, `lower` or `upper`. */
  forecast: 'skyline_cost_forecast_end_of_month',
  /** Gauge `{provider, currency}`: the monthly budget the analyzer is configured with. */
  budget: 'skyline_cost_budget_amount',
} as const;
