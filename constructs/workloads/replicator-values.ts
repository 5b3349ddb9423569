/**
 * The TypeScript side of the replicator chart (services/replicator/chart): the props a workloads stack sets, checked
 * early, and the values object they map to, typed as the chart's values.schema.json so a mismatch fails `tsc`. The
 * replicator's config is built here as the service's own ReplicatorConfigInput and validated by its zod schema at
 * synth, so a config the replicator would refuse at start never reaches a cluster.
 */
import { Token } from 'cdktf';
import { join } from 'node:path';
import { ConfigError } from '../../services/common/src/config';
import { parseReplicatorConfig, type ReplicatorConfigInput } from '../../services/replicator/src/config';
import { NAMESPACES } from './namespaces';
import { azureFederationValues, cpuMemoryResources, gcpFederationValues, healthProbes, imageProblems, imageValues, serviceAccountValues } from './service-identity-values';
import type { AzureFederationProps, AzureFederationValues, GcpFederationProps, GcpFederationValues, HealthProbeValues, ImageValues, ResourceValues, ServiceAccountValues, ServiceImageProps } from './service-identity-values';

/** The chart's directory, for a helm_release and for the chart tests. */
export const REPLICATOR_CHART_DIR = join(__dirname, '..', '..', 'services', 'replicator', 'chart');

/** The replicator's config in `replicate` mode, as written. */
export type ReplicateConfigInput = Extract<ReplicatorConfigInput, { mode: 'replicate' }>;

/** `imageRepository` is the image built from services/replicator/Dockerfile, e.g. `ghcr.io/acme/skyline-replicator`. */
export interface ReplicatorProps extends ServiceImageProps {
  /** The replicator's config, except what the chart decides: `mode` (replicate) and `server` (the chart's port). */
  readonly config: Omit<ReplicateConfigInput, 'mode' | 'server'>;
  /** The HTTP port (health, metrics); the baseline lets Prometheus scrape it. @default 9464 */
  readonly httpPort?: number;
  /** Workload identity annotations of the service account (e.g. eks.amazonaws.com/role-arn): the source side. @default {} */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /** Credentials for GCS destinations outside GCP. @default none */
  readonly gcpFederation?: GcpFederationProps;
  /** Credentials for Azure Blob destinations outside Azure. @default none */
  readonly azureFederation?: AzureFederationProps;
  /** CPU request (the limit is at least 1 core: copies are bursts of hashing and TLS). @default 250 */
  readonly cpuMillicores?: number;
  /** Memory request and limit; about two parts per object in flight, per destination. @default 512 */
  readonly memoryMiB?: number;
  /** Create the ServiceMonitor (needs the Prometheus operator's CRDs). @default true */
  readonly serviceMonitor?: boolean;
  /** @default 30 */
  readonly scrapeIntervalSeconds?: number;
}

/** The chart's values, key for key as values.schema.json (which rejects any other key). */
export interface ReplicatorValues {
  readonly image: ImageValues;
  readonly http: { readonly port: number };
  readonly config: ReplicateConfigInput;
  readonly gcpFederation: GcpFederationValues<'mountPath'>;
  readonly azureFederation: AzureFederationValues<'mountPath'>;
  readonly probes: HealthProbeValues;
  readonly resources: ResourceValues;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly maxUnavailable: number };
  readonly serviceAccount: ServiceAccountValues;
  readonly securityContext: { readonly runAsUser: number; readonly runAsGroup: number };
  readonly terminationGracePeriodSeconds: number;
  readonly tmpVolume: { readonly sizeLimit: string };
  readonly networkPolicy: { readonly enabled: boolean; readonly monitoringNamespace: string };
  readonly serviceMonitor: { readonly enabled: boolean; readonly interval: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Maps props to the chart's values; throws one error listing every invalid prop. */
export function replicatorValues(props: ReplicatorProps): ReplicatorValues {
  const httpPort = props.httpPort ?? 9464;
  const config: ReplicateConfigInput = { ...props.config, mode: 'replicate', server: { host: '0.0.0.0', port: httpPort } };
  const problems = propProblems(props);
  try {
    parseReplicatorConfig(config, 'replicator props.config');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((problem) => `config.${problem.field} is ${JSON.stringify(problem.value)}: ${problem.message}`));
  }
  if (problems.length > 0) {
    throw new Error(`Invalid replicator props (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` + problems.map((problem) => `  - ${problem}`).join('\n'));
  }
  return {
    image: imageValues(props),
    http: { port: httpPort },
    config,
    gcpFederation: gcpFederationValues(props.gcpFederation, 'mountPath'),
    azureFederation: azureFederationValues(props.azureFederation, 'mountPath'),
    probes: healthProbes(10),
    // Memory is bounded by design (parts in flight).
    resources: cpuMemoryResources(props.cpuMillicores ?? 250, 1000, props.memoryMiB ?? 512),
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    serviceAccount: serviceAccountValues('replicator', props.serviceAccountAnnotations),
    securityContext: { runAsUser: 10001, runAsGroup: 10001 },
    terminationGracePeriodSeconds: 120,
    tmpVolume: { sizeLimit: '256Mi' },
    networkPolicy: { enabled: true, monitoringNamespace: NAMESPACES.monitoring.name },
    serviceMonitor: { enabled: props.serviceMonitor ?? true, interval: `${props.scrapeIntervalSeconds ?? 30}s` },
  };
}

/** Every problem with the props outside the config, each naming the field, the value and the fix. */
function propProblems(props: ReplicatorProps): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, field: string, value: unknown, fix: string): void => {
    if (!ok) problems.push(`${field} is ${JSON.stringify(value)}: ${fix}`);
  };
  // A reference to a resource created by Terraform resolves at apply: only a literal can be checked here.
  const literal = (value: string): boolean => !Token.isUnresolved(value);
  problems.push(...imageProblems(props, 'ghcr.io/acme/skyline-replicator'));
  if (props.httpPort !== undefined) check(Number.isInteger(props.httpPort) && props.httpPort >= 1024 && props.httpPort <= 65535, 'httpPort', props.httpPort, 'must be a port from 1024 to 65535: the replicator runs as non-root');
  const gcp = props.gcpFederation;
  if (gcp !== undefined) {
    if (literal(gcp.audience)) check(gcp.audience.startsWith('//iam.googleapis.com/'), 'gcpFederation.audience', gcp.audience, 'must be the federation provider as //iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>');
    if (literal(gcp.serviceAccountEmail)) check(/^[^@\s]+@[^@\s]+$/.test(gcp.serviceAccountEmail), 'gcpFederation.serviceAccountEmail', gcp.serviceAccountEmail, 'must be a Google service account e-mail');
  }
  const azure = props.azureFederation;
  if (azure !== undefined) {
    if (literal(azure.clientId)) check(UUID.test(azure.clientId), 'azureFederation.clientId', azure.clientId, 'must be the managed identity\'s client ID (a lowercase UUID)');
    if (literal(azure.tenantId)) check(UUID.test(azure.tenantId), 'azureFederation.tenantId', azure.tenantId, 'must be the Entra tenant ID (a lowercase UUID)');
  }
  for (const field of ['cpuMillicores', 'memoryMiB', 'scrapeIntervalSeconds'] as const) {
    const value = props[field];
    if (value !== undefined) check(Number.isInteger(value) && value >= 1, field, value, 'must be a whole number, 1 or more');
  }
  return problems;
}
