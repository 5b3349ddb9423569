/**
 * The TypeScript side of the failover chart (services/failover/chart): the props a workloads stack sets,
 * checked early, and the values object they map to, typed as the chart's values.schema.json so a mismatch
 * fails `tsc`. The controller's config is built here as FailoverConfigInput and validated by the controller's
 * own zod schema at synth, so a config the controller would refuse at start never reaches a cluster.
 */
import { Token } from 'cdktf';
import { join } from 'node:path';
import { ConfigError } from '../../services/common/src/config';
import { parseFailoverConfig, type FailoverConfigInput } from '../../services/failover/src/config';
import { ENVOY_PROXY_LABELS } from './cluster-baseline';
import { NAMESPACES } from './namespaces';
import { awsWebIdentityValues, cpuMemoryResources, healthProbes, imageProblems, imageValues, serviceAccountValues } from './service-identity-values';
import type { AwsWebIdentityValues, HealthProbeValues, ImageValues, ResourceValues, ServiceAccountValues, ServiceImageProps } from './service-identity-values';

/** The chart's directory, for a helm_release and for the chart tests. */
export const FAILOVER_CHART_DIR = join(__dirname, '..', '..', 'services', 'failover', 'chart');

/** The Secret key holding the token the peers present on /observations. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** `imageRepository` is the image built from services/failover/Dockerfile, e.g. `ghcr.io/acme/skyline-failover`. */
export interface FailoverProps extends ServiceImageProps {
  /**
   * The controller's config, except what the chart decides: `server` (the chart's port) and `leaderElection`
   * (a Lease in the release namespace). `instance.name` is replaced by the pod name at run time.
   */
  readonly config: Omit<FailoverConfigInput, 'server' | 'leaderElection'>;
  /** One leads, the others stand by. @default 2 */
  readonly replicas?: number;
  /** The HTTP port (health, metrics, observations); the baseline lets Prometheus scrape it. @default 9464 */
  readonly httpPort?: number;
  /** @default 'skyline-failover' */
  readonly leaseName?: string;
  /** Workload identity annotations of the service account (e.g. eks.amazonaws.com/role-arn). @default {} */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /**
   * The IAM role that may change the zone's records, assumed with a projected token (audience sts.amazonaws.com):
   * for GKE and AKS, which have no EKS identity webhook. @default none (EKS: annotate the service account instead)
   */
  readonly awsRoleArn?: string;
  /** Where the peers' shared bearer token is. @default none: /observations is open to whoever NetworkPolicy lets in */
  readonly peerTokenSecret?: SecretKeyRef;
  /** Namespace and port of the Alertmanager the alerts go to (egress rule). @default monitoring, 9093 */
  readonly alertmanagerNamespace?: string;
  /** @default 9093 */
  readonly alertmanagerPort?: number;
  /** CPU request. @default 100 */
  readonly cpuMillicores?: number;
  /** Memory request and limit. @default 128 */
  readonly memoryMiB?: number;
  /** Create the ServiceMonitor (needs the Prometheus operator's CRDs). @default true */
  readonly serviceMonitor?: boolean;
  /**
   * Publish GET /observations on the regional gateway for the other regions' controllers, at this name
   * (`<region>.control.<domain>`).
   * @default not published
   */
  readonly observationsRoute?: { readonly hostname: string; readonly gatewayParentRef: { readonly name: string; readonly namespace: string; readonly sectionName: string } };
  /** @default 30 */
  readonly scrapeIntervalSeconds?: number;
}

/** The chart's values, key for key as values.schema.json (which rejects any other key). */
export interface FailoverValues {
  readonly image: ImageValues;
  readonly replicas: number;
  readonly http: { readonly port: number };
  readonly config: FailoverConfigInput;
  readonly leaderElection: { readonly enabled: boolean; readonly leaseName: string };
  readonly peerToken: { readonly secretName: string; readonly secretKey: string };
  readonly awsWebIdentity: AwsWebIdentityValues;
  readonly probes: HealthProbeValues;
  readonly resources: ResourceValues;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable: number };
  readonly serviceAccount: ServiceAccountValues;
  readonly securityContext: { readonly runAsUser: number; readonly runAsGroup: number };
  readonly terminationGracePeriodSeconds: number;
  readonly networkPolicy: {
    readonly enabled: boolean;
    readonly monitoringNamespace: string;
    readonly gatewayNamespace: string;
    readonly gatewayPodLabels: Readonly<Record<string, string>>;
    readonly alertmanagerNamespace: string;
    readonly alertmanagerPort: number;
  };
  readonly serviceMonitor: { readonly enabled: boolean; readonly interval: string };
  readonly route: { readonly enabled: boolean; readonly hostname: string; readonly parentRef: { readonly name: string; readonly namespace: string; readonly sectionName: string } };
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]+$/;
const DEFAULT_LEASE_NAME = 'skyline-failover';

/** Maps props to the chart's values; throws one error listing every invalid prop. */
export function failoverValues(props: FailoverProps): FailoverValues {
  const namespace = NAMESPACES.system.name;
  const httpPort = props.httpPort ?? 9464;
  const leaseName = props.leaseName ?? DEFAULT_LEASE_NAME;
  const config: FailoverConfigInput = {
    ...props.config,
    // Explicit even when empty: helm merges maps into the chart's placeholder config, which has peers.
    peers: props.config.peers ?? [],
    leaderElection: { kind: 'kubernetes-lease', namespace, leaseName },
    server: { host: '0.0.0.0', port: httpPort },
  };
  const problems = propProblems(props);
  try {
    parseFailoverConfig(config, 'failover props.config');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((problem) => `config.${problem.field} is ${JSON.stringify(problem.value)}: ${problem.message}`));
  }
  if (problems.length > 0) {
    throw new Error(`Invalid failover props (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` + problems.map((problem) => `  - ${problem}`).join('\n'));
  }
  return {
    image: imageValues(props),
    replicas: props.replicas ?? 2,
    http: { port: httpPort },
    config,
    leaderElection: { enabled: true, leaseName },
    peerToken: { secretName: props.peerTokenSecret?.name ?? '', secretKey: props.peerTokenSecret?.key ?? 'token' },
    awsWebIdentity: awsWebIdentityValues(props.awsRoleArn),
    probes: healthProbes(5),
    resources: cpuMemoryResources(props.cpuMillicores ?? 100, 500, props.memoryMiB ?? 128),
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    serviceAccount: serviceAccountValues('failover', props.serviceAccountAnnotations),
    securityContext: { runAsUser: 10001, runAsGroup: 10001 },
    terminationGracePeriodSeconds: 30,
    networkPolicy: {
      enabled: true,
      monitoringNamespace: NAMESPACES.monitoring.name,
      gatewayNamespace: NAMESPACES.gateway.name,
      gatewayPodLabels: { ...ENVOY_PROXY_LABELS },
      alertmanagerNamespace: props.alertmanagerNamespace ?? NAMESPACES.monitoring.name,
      alertmanagerPort: props.alertmanagerPort ?? 9093,
    },
    serviceMonitor: { enabled: props.serviceMonitor ?? true, interval: `${props.scrapeIntervalSeconds ?? 30}s` },
    route: props.observationsRoute
      ? { enabled: true, hostname: props.observationsRoute.hostname, parentRef: { ...props.observationsRoute.gatewayParentRef } }
      : { enabled: false, hostname: 'unused.invalid', parentRef: { name: 'unused', namespace: 'unused', sectionName: 'unused' } },
  };
}

/** Every problem with the props outside the config, each naming the field, the value and the fix. */
function propProblems(props: FailoverProps): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, field: string, value: unknown, fix: string): void => {
    if (!ok) problems.push(`${field} is ${JSON.stringify(value)}: ${fix}`);
  };
  problems.push(...imageProblems(props, 'ghcr.io/acme/skyline-failover'));
  if (props.replicas !== undefined) check(Number.isInteger(props.replicas) && props.replicas >= 1 && props.replicas <= 5, 'replicas', props.replicas, 'must be a whole number from 1 to 5 (one leads, the rest stand by)');
  if (props.httpPort !== undefined) check(Number.isInteger(props.httpPort) && props.httpPort >= 1024 && props.httpPort <= 65535, 'httpPort', props.httpPort, 'must be a port from 1024 to 65535: the controller runs as non-root');
  if (props.leaseName !== undefined) check(DNS_LABEL.test(props.leaseName), 'leaseName', props.leaseName, 'must be a Kubernetes object name such as skyline-failover');
  // A reference to a role created by Terraform resolves at apply: only a literal ARN can be checked here.
  if (props.awsRoleArn !== undefined && !Token.isUnresolved(props.awsRoleArn)) {
    check(ROLE_ARN.test(props.awsRoleArn), 'awsRoleArn', props.awsRoleArn, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/prod-failover');
  }
  if (props.peerTokenSecret !== undefined) check(DNS_LABEL.test(props.peerTokenSecret.name), 'peerTokenSecret.name', props.peerTokenSecret.name, 'must be a Secret name in skyline-system');
  if (props.alertmanagerNamespace !== undefined) check(DNS_LABEL.test(props.alertmanagerNamespace), 'alertmanagerNamespace', props.alertmanagerNamespace, 'must be a namespace name such as monitoring');
  if (props.alertmanagerPort !== undefined) check(Number.isInteger(props.alertmanagerPort) && props.alertmanagerPort >= 1 && props.alertmanagerPort <= 65535, 'alertmanagerPort', props.alertmanagerPort, 'must be a TCP port');
  for (const field of ['cpuMillicores', 'memoryMiB', 'scrapeIntervalSeconds'] as const) {
    const value = props[field];
    if (value !== undefined) check(Number.isInteger(value) && value >= 1, field, value, 'must be a whole number, 1 or more');
  }
  return problems;
}
