import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../../stacks/environments/schema';
import { regionalControlHostname } from '../common/hostnames';
import { alertmanagerConfig, receiverSecretNames, type AlertmanagerConfig, type Receivers } from '../observability/alertmanager-config';
import { GLOBAL_DATASOURCE_UID } from '../observability/dashboards/grafana-json';
import { FEDERATION_CREDENTIALS, federationScrapeConfig } from '../observability/federation';
import { globalRules } from '../observability/global-rules';
import { RULE_SCOPE_LABEL } from '../observability/labels';
import type { RuleFile, ScrapeConfig } from '../observability/prometheus-types';
import { FEDERATION_INTERVAL, FEDERATION_TIMEOUT } from '../observability/thresholds';
import { NAMESPACES } from './namespaces';
import { PinnedRelease } from './pinned-release';

/** The chart's directory, for the helm_release and the chart tests. */
export const GLOBAL_OBSERVABILITY_CHART_DIR = join(__dirname, 'charts', 'global-observability');

const RESOURCE_NAME = 'skyline-global';
const ALERTMANAGER_PORT = 9093;

/** Where the global Alertmanager answers inside the primary cluster (its Service). */
export const GLOBAL_ALERTMANAGER_URL = `http://${RESOURCE_NAME}-alertmanager.${NAMESPACES.monitoring.name}.svc:${ALERTMANAGER_PORT}`;

/**
 * Grafana 12.2.1 by the digest of its multi-arch index on Docker Hub (as pinned by prometheus/client_java's
 * examples, renovate PR #1635). An upgrade is a change of both, here.
 */
export const GRAFANA_IMAGE = {
  repository: 'docker.io/grafana/grafana',
  tag: '12.2.1',
  digest: 'sha256:35c41e0fd0295f5d0ee5db7e780cf33506abfaf47686196f825364889dee878b',
} as const;

/** The Secret (created out of band, in `monitoring`) with Grafana's `admin-user` and `admin-password`. */
export const GRAFANA_ADMIN_SECRET = 'skyline-grafana-admin';

/** A region the global Prometheus federates. */
export interface FederatedRegion {
  /** Provider region name, e.g. `europe-west1`: the `region` label. */
  readonly region: string;
  readonly cloud: string;
  /** The region's `<region>.control.<domain>`, where its gateway publishes `/federate`. */
  readonly federationHostname: string;
}

export interface GlobalObservabilityProps {
  /** Environment name: the `env` label of the global Prometheus. */
  readonly env: string;
  /** Every region of the environment, this one included. */
  readonly regions: readonly FederatedRegion[];
  /** Share of operations that must succeed over 30 days, in percent (e.g. 99.9). */
  readonly availabilityPercent: number;
  /** p95 latency objective, seconds. */
  readonly latencyP95Seconds: number;
  /** Replication lag that raises an alert, seconds. */
  readonly replicationLagThresholdSeconds: number;
  /** Where critical alerts, warnings and the Watchdog go. */
  readonly receivers: Receivers;
  /** Base URL of the runbook pages, ending in `/`. */
  readonly runbookBaseUrl: string;
  readonly prometheusRetentionDays: number;
  readonly prometheusStorageGiB: number;
  readonly prometheusReplicas: number;
  readonly prometheusCpuMillicores: number;
  readonly prometheusMemoryMiB: number;
  /** @default 2 */
  readonly alertmanagerReplicas?: number;
  /** The regional Prometheus release: its operator reconciles the resources here, its CRDs define them. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The settings an environment gives its global observability: the primary's workloads stack deploys them, and the
 * local platform (scripts/local) runs the same, so the two never drift.
 */
export function globalObservabilitySettings(
  environment: EnvironmentConfig,
  regions: readonly { readonly region: string; readonly cloud: string }[],
): Omit<GlobalObservabilityProps, 'dependsOn'> {
  const { observability } = environment;
  return {
    env: environment.name,
    regions: regions.map(({ region, cloud }) => ({ region, cloud, federationHostname: regionalControlHostname(environment.domain, region) })),
    availabilityPercent: observability.slo.availabilityPercent,
    latencyP95Seconds: observability.slo.latencyP95Seconds,
    replicationLagThresholdSeconds: observability.replicationLagThresholdSeconds,
    receivers: observability.receivers,
    runbookBaseUrl: observability.runbookBaseUrl,
    prometheusRetentionDays: observability.globalPrometheus.retentionDays,
    prometheusStorageGiB: observability.globalPrometheus.storageGiB,
    prometheusReplicas: observability.globalPrometheus.replicas,
    prometheusCpuMillicores: observability.globalPrometheus.cpuMillicores,
    prometheusMemoryMiB: observability.globalPrometheus.memoryMiB,
    alertmanagerReplicas: observability.alertmanagerReplicas,
  };
}

interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu?: string; readonly memory: string };
}

/** The chart's values, key for key as values.schema.json. */
export interface GlobalObservabilityValues {
  readonly ruleScope: { readonly label: string; readonly value: 'global' };
  readonly rules: RuleFile;
  readonly securityContext: { readonly runAsUser: number; readonly runAsGroup: number };
  readonly prometheus: {
    readonly name: string;
    readonly replicas: number;
    readonly retention: string;
    readonly retentionSize: string;
    readonly storageGiB: number;
    readonly resources: Resources;
    readonly scrapeInterval: string;
    readonly scrapeTimeout: string;
    readonly evaluationInterval: string;
    readonly externalLabels: Readonly<Record<string, string>>;
    readonly federationScrapeConfigs: readonly ScrapeConfig[];
    readonly secrets: readonly string[];
  };
  readonly alertmanager: {
    readonly name: string;
    readonly replicas: number;
    readonly port: number;
    readonly config: AlertmanagerConfig;
    readonly secrets: readonly string[];
    readonly resources: Resources;
  };
  readonly grafana: {
    readonly image: { readonly repository: string; readonly tag: string; readonly digest: string };
    readonly port: number;
    readonly adminSecretName: string;
    readonly datasourceUid: string;
    readonly resources: Resources;
  };
}

/** Maps props to the chart's values; throws one error naming every invalid prop. */
export function globalObservabilityValues(props: Omit<GlobalObservabilityProps, 'dependsOn'>): GlobalObservabilityValues {
  const problems: string[] = [];
  if (props.regions.length === 0) problems.push('regions is empty: list every region of the environment, the primary included');
  const names = props.regions.map((region) => region.region);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) problems.push(`regions lists ${name} twice: one entry per region`);
  });
  if (!(props.availabilityPercent > 0 && props.availabilityPercent < 100)) problems.push(`availabilityPercent is ${props.availabilityPercent}: must be between 0 and 100 (exclusive), e.g. 99.9`);
  if (!props.runbookBaseUrl.endsWith('/')) problems.push(`runbookBaseUrl is "${props.runbookBaseUrl}": must end with "/" (the page name is appended)`);
  if (problems.length > 0) throw new Error(`Invalid GlobalObservability props:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);

  const memory = `${props.prometheusMemoryMiB}Mi`;
  return {
    ruleScope: { label: RULE_SCOPE_LABEL, value: 'global' },
    rules: globalRules({
      thresholds: {
        availability: props.availabilityPercent / 100,
        latencyP95Seconds: props.latencyP95Seconds,
        replicationLagSeconds: props.replicationLagThresholdSeconds,
        // The failover controllers' own quorum: a majority of the regions.
        regionDownQuorum: Math.floor(props.regions.length / 2) + 1,
      },
      runbookBaseUrl: props.runbookBaseUrl,
    }),
    securityContext: { runAsUser: 10001, runAsGroup: 10001 },
    prometheus: {
      name: RESOURCE_NAME,
      replicas: props.prometheusReplicas,
      retention: `${props.prometheusRetentionDays}d`,
      // Headroom so the TSDB never fills its volume before retention deletes old blocks (as the regional one).
      retentionSize: `${Math.floor(props.prometheusStorageGiB * 0.85)}GB`,
      storageGiB: props.prometheusStorageGiB,
      resources: { requests: { cpu: `${props.prometheusCpuMillicores}m`, memory }, limits: { memory } },
      scrapeInterval: FEDERATION_INTERVAL,
      scrapeTimeout: FEDERATION_TIMEOUT,
      evaluationInterval: FEDERATION_INTERVAL,
      externalLabels: { env: props.env },
      federationScrapeConfigs: [
        federationScrapeConfig({
          targets: props.regions.map((region) => ({ region: region.region, cloud: region.cloud, address: `${region.federationHostname}:443` })),
        }),
      ],
      secrets: [FEDERATION_CREDENTIALS.clientSecret.name],
    },
    alertmanager: {
      name: RESOURCE_NAME,
      replicas: props.alertmanagerReplicas ?? 2,
      port: ALERTMANAGER_PORT,
      config: alertmanagerConfig({ receivers: props.receivers }),
      secrets: receiverSecretNames(props.receivers),
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    },
    grafana: {
      image: { ...GRAFANA_IMAGE },
      port: 3000,
      adminSecretName: GRAFANA_ADMIN_SECRET,
      datasourceUid: GLOBAL_DATASOURCE_UID,
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    },
  };
}

/**
 * The global observability, in the primary region's cluster (ADR-005): a Prometheus that federates the edge
 * series of every region over their gateways, evaluates the global alert rules and sends to an Alertmanager
 * that routes by severity; Grafana with the repository's dashboards. The Prometheus and Alertmanager are
 * resources of the regional kube-prometheus-stack's operator; nothing new is installed from upstream but
 * Grafana's image.
 */
export class GlobalObservability extends Construct {
  /** Where the primary region's failover controller posts its alerts. */
  readonly alertmanagerUrl = GLOBAL_ALERTMANAGER_URL;
  readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: GlobalObservabilityProps) {
    super(scope, id);
    this.release = new PinnedRelease(this, 'release', {
      chart: { localPath: GLOBAL_OBSERVABILITY_CHART_DIR },
      releaseName: 'global-observability',
      namespace: NAMESPACES.monitoring.name,
      values: globalObservabilityValues(props),
      dependsOn: props.dependsOn,
    }).release;
  }
}
