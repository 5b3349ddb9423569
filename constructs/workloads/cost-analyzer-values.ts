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
import { serviceAccountOf } from '../common/bundled-services';
import { AZURE_TOKEN_EXCHANGE_AUDIENCE } from '../azure/workload-identity';
import { NAMESPACES } from './namespaces';

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

export interface CostAnalyzerProps {
  /** The image built from services/cost-analyzer/Dockerfile, e.g. `ghcr.io/acme/skyline-cost-analyzer`. */
  readonly imageRepository: string;
  /** A release tag such as `0.1.0`; required unless `imageDigest` is set. @default none */
  readonly imageTag?: string;
  /** `sha256:<64 hex>`: pulls exactly this image. @default none (pulled by tag) */
  readonly imageDigest?: string;
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
  readonly gcpWorkloadIdentity?: { readonly audience: string; readonly serviceAccountEmail: string };
  /** Azure Blob through a federated credential, outside AKS: the managed identity's client ID and its tenant. @default none */
  readonly azureWorkloadIdentity?: { readonly clientId: string; readonly tenantId: string };
  /** CPU request. @default 100 */
  readonly cpuMillicores?: number;
  /** Memory request and limit: the largest export month is read whole. @default 512 */
  readonly memoryMiB?: number;
  /** Create the ServiceMonitor (needs the Prometheus operator's CRDs). @default true */
  readonly serviceMonitor?: boolean;
  /** @default 60 */
  readonly scrapeIntervalSeconds?: number;
}

interface ProbeValues {
  readonly path: string;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

interface CpuMemoryValues {
  readonly cpu: string;
  readonly memory: string;
}

interface ProjectedTokenValues {
  readonly enabled: boolean;
  readonly tokenMountPath: string;
  readonly expirationSeconds: number;
}

/** The chart's values, key for key as values.schema.json (which rejects any other key). */
export interface CostAnalyzerValues {
  readonly image: { readonly repository: string; readonly tag: string; readonly digest: string };
  readonly replicas: number;
  readonly http: { readonly port: number };
  readonly config: CostAnalyzerConfigInput;
  readonly serviceAccount: { readonly name: string; readonly annotations: Readonly<Record<string, string>> };
  readonly gcpWorkloadIdentity: ProjectedTokenValues & { readonly audience: string; readonly serviceAccountEmail: string };
  readonly azureWorkloadIdentity: ProjectedTokenValues & { readonly clientId: string; readonly tenantId: string; readonly audience: string; readonly authorityHost: string };
  readonly probes: { readonly readiness: ProbeValues; readonly liveness: ProbeValues };
  readonly resources: { readonly requests: CpuMemoryValues; readonly limits: CpuMemoryValues };
  readonly tmpSizeLimit: string;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly maxUnavailable: number };
  readonly securityContext: { readonly runAsUser: number; readonly runAsGroup: number };
  readonly terminationGracePeriodSeconds: number;
  readonly networkPolicy: { readonly enabled: boolean; readonly monitoringNamespace: string };
  readonly serviceMonitor: { readonly enabled: boolean; readonly interval: string };
}

const IMAGE_REPOSITORY = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN_LIFETIME_SECONDS = 3600;

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
  const memory = `${props.memoryMiB ?? 512}Mi`;
  const gcp = props.gcpWorkloadIdentity;
  const azure = props.azureWorkloadIdentity;
  return {
    image: { repository: props.imageRepository, tag: props.imageTag ?? '', digest: props.imageDigest ?? '' },
    replicas: props.replicas ?? 1,
    http: { port: httpPort },
    config,
    serviceAccount: { name: serviceAccountOf('cost-analyzer').name, annotations: { ...props.serviceAccountAnnotations } },
    gcpWorkloadIdentity: {
      enabled: gcp !== undefined,
      audience: gcp?.audience ?? '',
      serviceAccountEmail: gcp?.serviceAccountEmail ?? '',
      tokenMountPath: '/var/run/secrets/gcp/serviceaccount',
      expirationSeconds: TOKEN_LIFETIME_SECONDS,
    },
    azureWorkloadIdentity: {
      enabled: azure !== undefined,
      clientId: azure?.clientId ?? '',
      tenantId: azure?.tenantId ?? '',
      audience: AZURE_TOKEN_EXCHANGE_AUDIENCE,
      authorityHost: 'https://login.microsoftonline.com/',
      tokenMountPath: '/var/run/secrets/azure/tokens',
      expirationSeconds: TOKEN_LIFETIME_SECONDS,
    },
    probes: {
      readiness: { path: '/readyz', periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
      liveness: { path: '/healthz', periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    },
    // Memory limit = request: a month of rows is read at once, and a pod that outgrows it is better restarted
    // (and sized up) than left to push a node into memory pressure.
    resources: { requests: { cpu: `${props.cpuMillicores ?? 100}m`, memory }, limits: { cpu: `${Math.max(1000, props.cpuMillicores ?? 100)}m`, memory } },
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
  check(IMAGE_REPOSITORY.test(props.imageRepository), 'imageRepository', props.imageRepository, 'must be an image repository without tag or digest, such as ghcr.io/acme/skyline-cost-analyzer');
  if (props.imageTag === undefined && props.imageDigest === undefined) {
    problems.push('imageTag and imageDigest are both unset: set imageTag (e.g. "0.1.0") or imageDigest ("sha256:<64 hex>")');
  }
  if (props.imageTag !== undefined) check(IMAGE_TAG.test(props.imageTag) && props.imageTag !== 'latest', 'imageTag', props.imageTag, 'must be a fixed release tag such as 0.1.0 (not "latest")');
  if (props.imageDigest !== undefined) check(IMAGE_DIGEST.test(props.imageDigest), 'imageDigest', props.imageDigest, 'must be "sha256:" followed by 64 lowercase hex digits');
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
