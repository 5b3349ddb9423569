/**
 * The TypeScript side of the cost-analyzer chart (services/cost-analyzer/chart): the props a workloads stack sets,
 * checked early, and the values object they map to, typed as the chart's values.schema.json so a mismatch fails
 * `tsc`. The analyzer's config is built here as CostAnalyzerConfigInput and validated by the analyzer's own zod
 * schema at synth, so a config the analyzer would refuse at start never reaches a cluster.
 */
import { Token } from 'cdktf';
import { join } from 'node:path';
import { ConfigError } from '../../services/common/src/config';
import { parseCostAnalyzerConfig, type CostAnalyzerConfigInput } from '../../services/cost-analyzer/src/config';
import { NAMESPACES } from './namespaces';
import { azureFederationValues, cpuMemoryResources, gcpFederationValues, healthProbes, imageProblems, imageValues, serviceAccountValues } from './service-identity-values';
import type { AzureFederationProps, AzureFederationValues, GcpFederationProps, GcpFederationValues, HealthProbeValues, ImageValues, ResourceValues, ServiceAccountValues, ServiceImageProps } from './service-identity-values';

/** The chart's directory, for a helm_release and for the chart tests. */
export const COST_ANALYZER_CHART_DIR = join(__dirname, '..', '..', 'services', 'cost-analyzer', 'chart');

type SourceInput = CostAnalyzerConfigInput['sources'][number];

/** Where each cloud's billing export lands (the export constructs' `exportLocation`), as plain strings. */
interface BillingExportLocations {
  /** AWS Data Exports, FOCUS 1.2 in Parquet (AwsCostExport). */
  readonly aws?: { readonly bucket: string; readonly prefix: string; readonly region: string };
  /** The GCP standard usage cost export table (BillingExportDataset). */
  readonly gcp?: { readonly project: string; readonly dataset: string; readonly table: string; readonly location: string };
  /** Azure Cost Management export CSVs (AzureCostExport), amortized or actual cost. */
  readonly azure?: { readonly accountUrl: string; readonly container: string; readonly prefix: string; readonly costType: 'AmortizedCost' | 'ActualCost' };
}

/** The analyzer's sources for the exports Skyline creates, each with the row layout its export writes. */
export function billingExportSources(locations: BillingExportLocations): SourceInput[] {
  const sources: SourceInput[] = [];
  if (locations.aws) sources.push({ name: 'aws-focus', provider: 'aws', kind: 's3', format: 'focus', ...locations.aws });
  if (locations.gcp) sources.push({ name: 'gcp-standard', provider: 'gcp', kind: 'bigquery', format: 'gcp-standard', ...locations.gcp });
  if (locations.azure) {
    const { costType, ...location } = locations.azure;
    const format = costType === 'AmortizedCost' ? 'azure-amortized' : 'azure-actual';
    sources.push({ name: format, provider: 'azure', kind: 'azure-blob', format, ...location });
  }
  return sources;
}

/** `imageRepository` is the image built from services/cost-analyzer/Dockerfile, e.g. `ghcr.io/acme/skyline-cost-analyzer`. */
export interface CostAnalyzerProps extends ServiceImageProps {
  /** The analyzer's config, except `server` (the chart's port). */
  readonly config: Omit<CostAnalyzerConfigInput, 'server'>;
  /** Every replica serves the same figures. @default 1 */
  readonly replicas?: number;
  /** The HTTP port (health, metrics, report); the baseline lets Prometheus scrape it. @default 9464 */
  readonly httpPort?: number;
  /** Workload identity annotations of the service account (on EKS, eks.amazonaws.com/role-arn). @default {} */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /**
   * BigQuery through Workload Identity Federation, outside GKE: the pool provider's audience and the Google service
   * account to impersonate. @default none (no Google credentials)
   */
  readonly gcpWorkloadIdentity?: GcpFederationProps;
  /** Azure Blob through a federated credential, outside AKS: the managed identity's client ID and its tenant. @default none */
  readonly azureWorkloadIdentity?: AzureFederationProps;
  /** CPU request. @default 100 */
  readonly cpuMillicores?: number;
  /** Memory request and limit: the largest export month is read whole. @default 512 */
  readonly memoryMiB?: number;
  /** Create the ServiceMonitor (needs the Prometheus operator's CRDs). @default true */
  readonly serviceMonitor?: boolean;
  /** @default 60 */
  readonly scrapeIntervalSeconds?: number;
}

/** The chart's values, key for key as values.schema.json (which rejects any other key). */
export interface CostAnalyzerValues {
  readonly image: ImageValues;
  readonly replicas: number;
  readonly http: { readonly port: number };
  readonly config: CostAnalyzerConfigInput;
  readonly serviceAccount: ServiceAccountValues;
  readonly gcpWorkloadIdentity: GcpFederationValues<'tokenMountPath'>;
  readonly azureWorkloadIdentity: AzureFederationValues<'tokenMountPath'>;
  readonly probes: HealthProbeValues;
  readonly resources: ResourceValues;
  readonly tmpSizeLimit: string;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly maxUnavailable: number };
  readonly securityContext: { readonly runAsUser: number; readonly runAsGroup: number };
  readonly terminationGracePeriodSeconds: number;
  readonly networkPolicy: { readonly enabled: boolean; readonly monitoringNamespace: string };
  readonly serviceMonitor: { readonly enabled: boolean; readonly interval: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Maps props to the chart's values; throws one error listing every invalid prop. */
export function costAnalyzerValues(props: CostAnalyzerProps): CostAnalyzerValues {
  const httpPort = props.httpPort ?? 9464;
  const config: CostAnalyzerConfigInput = { ...props.config, server: { host: '0.0.0.0', port: httpPort } };
  const problems = propProblems(props);
  try {
    parseCostAnalyzerConfig(config, 'cost-analyzer props.config');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((problem) => `config.${problem.field} is ${JSON.stringify(problem.value)}: ${problem.message}`));
  }
  if (problems.length > 0) {
    throw new Error(`Invalid cost-analyzer props (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` + problems.map((problem) => `  - ${problem}`).join('\n'));
  }
  return {
    image: imageValues(props),
    replicas: props.replicas ?? 1,
    http: { port: httpPort },
    config,
    serviceAccount: serviceAccountValues('cost-analyzer', props.serviceAccountAnnotations),
    gcpWorkloadIdentity: gcpFederationValues(props.gcpWorkloadIdentity, 'tokenMountPath'),
    azureWorkloadIdentity: azureFederationValues(props.azureWorkloadIdentity, 'tokenMountPath'),
    probes: healthProbes(10),
    // A month of rows is read at once: a pod that outgrows its memory is better restarted (and sized up) than left
    // to push a node into memory pressure.
    resources: cpuMemoryResources(props.cpuMillicores ?? 100, 1000, props.memoryMiB ?? 512),
    tmpSizeLimit: '256Mi',
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    securityContext: { runAsUser: 10001, runAsGroup: 10001 },
    terminationGracePeriodSeconds: 30,
    networkPolicy: { enabled: true, monitoringNamespace: NAMESPACES.monitoring.name },
    serviceMonitor: { enabled: props.serviceMonitor ?? true, interval: `${props.scrapeIntervalSeconds ?? 60}s` },
  };
}

/** Every problem with the props outside the config, each naming the field, the value and the fix. */
function propProblems(props: CostAnalyzerProps): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, field: string, value: unknown, fix: string): void => {
    if (!ok) problems.push(`${field} is ${JSON.stringify(value)}: ${fix}`);
  };
  problems.push(...imageProblems(props, 'ghcr.io/acme/skyline-cost-analyzer'));
  if (props.replicas !== undefined) check(Number.isInteger(props.replicas) && props.replicas >= 1 && props.replicas <= 3, 'replicas', props.replicas, 'must be a whole number from 1 to 3 (each replica reads every export)');
  if (props.httpPort !== undefined) check(Number.isInteger(props.httpPort) && props.httpPort >= 1024 && props.httpPort <= 65535, 'httpPort', props.httpPort, 'must be a port from 1024 to 65535: the analyzer runs as non-root');
  // References to identities created by Terraform resolve at apply: only literal values can be checked here.
  const azure = props.azureWorkloadIdentity;
  if (azure !== undefined) {
    for (const field of ['clientId', 'tenantId'] as const) {
      if (!Token.isUnresolved(azure[field])) check(UUID.test(azure[field]), `azureWorkloadIdentity.${field}`, azure[field], 'must be a lowercase UUID');
    }
  }
  const sourceKinds = new Set(props.config.sources.map((source) => source.kind));
  if (sourceKinds.has('bigquery') && props.gcpWorkloadIdentity === undefined) {
    problems.push('config.sources reads BigQuery but gcpWorkloadIdentity is unset: outside GKE the analyzer has no Google credentials without it');
  }
  if (sourceKinds.has('azure-blob') && azure === undefined) {
    problems.push('config.sources reads Azure Blob but azureWorkloadIdentity is unset: outside AKS the analyzer has no Entra ID credentials without it');
  }
  for (const field of ['cpuMillicores', 'memoryMiB', 'scrapeIntervalSeconds'] as const) {
    const value = props[field];
    if (value !== undefined) check(Number.isInteger(value) && value >= 1, field, value, 'must be a whole number, 1 or more');
  }
  return problems;
}
