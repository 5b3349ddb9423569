/**
 * How the global Prometheus reads the regions: one scrape job over every region's `/federate`, through the
 * region's gateway (`https://<region>.control.<domain>`), with basic auth, asking only for the edge series.
 * `honor_labels` keeps the series' own `cloud`, `region` and `env` (the regional Prometheus's external labels).
 */
import { FEDERATION_JOB } from './labels';
import type { PrometheusConfig, ScrapeConfig } from './prometheus-types';
import { FEDERATED_SERIES } from './recording-rules';
import { FEDERATION_INTERVAL, FEDERATION_TIMEOUT } from './thresholds';

/** The path every Prometheus serves federation on; the regional gateways route exactly this path. */
export const FEDERATION_PATH = '/federate';

/**
 * The credentials of the federation link. The secrets are created out of band (docs/observability.md), never
 * by Terraform or the repository: the regional side holds only a hash.
 */
export const FEDERATION_CREDENTIALS = {
  username: 'skyline-global-prometheus',
  /** In the global Prometheus's namespace: the password, in clear, under `password`. */
  clientSecret: { name: 'skyline-federation-client', key: 'password' },
  /** In every region's monitoring namespace: `.htpasswd` with `<username>:{SHA}<base64 sha1>`, as Envoy Gateway reads it. */
  htpasswdSecret: { name: 'skyline-federation-htpasswd', key: '.htpasswd' },
} as const;

/** Where the Prometheus operator mounts a Secret listed in a Prometheus's `spec.secrets`. */
export function prometheusSecretPath(secret: { readonly name: string; readonly key: string }): string {
  return `/etc/prometheus/secrets/${secret.name}/${secret.key}`;
}

export interface FederationTarget {
  readonly region: string;
  readonly cloud: string;
  /** `host:port` of the region's federation endpoint. */
  readonly address: string;
}

export interface FederationProps {
  readonly targets: readonly FederationTarget[];
  /** The file holding the basic-auth password. @default the operator's mount of FEDERATION_CREDENTIALS.clientSecret */
  readonly passwordFile?: string;
}

/** The `match[]` selectors: each edge series by its exact name, nothing else. */
export function federationMatchers(): string[] {
  return FEDERATED_SERIES.map((name) => `{__name__="${name}"}`);
}

export function federationScrapeConfig(props: FederationProps): ScrapeConfig {
  if (props.targets.length === 0) throw new Error('federationScrapeConfig: targets must list at least one region');
  return {
    job_name: FEDERATION_JOB,
    honor_labels: true,
    metrics_path: FEDERATION_PATH,
    params: { 'match[]': federationMatchers() },
    scheme: 'https',
    scrape_interval: FEDERATION_INTERVAL,
    scrape_timeout: FEDERATION_TIMEOUT,
    basic_auth: { username: FEDERATION_CREDENTIALS.username, password_file: props.passwordFile ?? prometheusSecretPath(FEDERATION_CREDENTIALS.clientSecret) },
    // `region` and `cloud` on the target name the region in `up`, which says whether it could be read.
    static_configs: props.targets.map((target) => ({ targets: [target.address], labels: { region: target.region, cloud: target.cloud } })),
  };
}

export interface GlobalPrometheusConfigProps {
  readonly env: string;
  readonly federation: ScrapeConfig;
  readonly ruleFiles: readonly string[];
  /** `host:port` of each Alertmanager. */
  readonly alertmanagers: readonly string[];
}

/**
 * The global Prometheus's whole configuration file. In a cluster the Prometheus operator writes the same
 * file from the Prometheus resource (GlobalObservability sets the same intervals and labels); this form is what
 * promtool checks and the integration test runs.
 */
export function globalPrometheusConfig(props: GlobalPrometheusConfigProps): PrometheusConfig {
  return {
    global: { scrape_interval: FEDERATION_INTERVAL, scrape_timeout: FEDERATION_TIMEOUT, evaluation_interval: FEDERATION_INTERVAL, external_labels: { env: props.env } },
    rule_files: [...props.ruleFiles],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [...props.alertmanagers] }] }] },
    scrape_configs: [props.federation],
  };
}
