/**
 * The TypeScript side of the model-serving chart (services/model-serving/chart):
 * the props a stack sets, checked early, and the values object they map to,
 * typed as the chart's values.schema.json so a mismatch fails `tsc`.
 */
import { join } from 'node:path';
import { ConfigError } from '../../services/common/src/config';
import { parseReplicatorConfig, type ReplicatorConfigInput } from '../../services/replicator/src/config';
import type { ServiceAccountRef } from '../common/bundled-services';
import { ENVOY_PROXY_LABELS } from './cluster-baseline';
import { NAMESPACES } from './namespaces';
import type { CpuMemoryValues, ProbeValues } from './service-identity-values';

/** The chart's directory, for a helm_release and for the chart tests. */
export const MODEL_SERVING_CHART_DIR = join(__dirname, '..', '..', 'services', 'model-serving', 'chart');

/**
 * The serving pods' Kubernetes service account. Each infra stack federates it with the region's serving identity
 * (`skyline-<env>-model-serving`: read on the model bucket, for the sync sidecar), so the chart must use this name.
 */
export const MODEL_SERVING_SERVICE_ACCOUNT: ServiceAccountRef = { namespace: NAMESPACES.serving.name, name: 'model-serving' };

/** Where the model volume is mounted unless `modelMountPath` says otherwise; the live version is `<path>/current`. */
export const DEFAULT_MODEL_MOUNT_PATH = '/models';

/** A per-pod metric the HorizontalPodAutoscaler reads from prometheus-adapter (custom.metrics.k8s.io). */
export interface ModelServingCustomMetric {
  /** Prometheus-adapter metric name, e.g. `skyline_inference_requests_per_second`. */
  readonly name: string;
  /** The per-pod average the HPA aims for, e.g. 20 (requests per second per pod). */
  readonly targetAverageValue: number;
}

/** The Gateway listener the HTTPRoutes attach to. */
export interface GatewayParentRef {
  /** Gateway name. */
  readonly name: string;
  /** @default NAMESPACES.gateway.name (`envoy-gateway-system`) */
  readonly namespace?: string;
  /** The Gateway's listener, e.g. `https`. */
  readonly sectionName: string;
}

/** The replicator's config in `sync` mode, as written. */
export type SyncConfigInput = Extract<ReplicatorConfigInput, { mode: 'sync' }>;

/**
 * The model sync sidecar: the replicator's image in sync mode, keeping the newest complete version of one model in
 * the model volume (`<modelMountPath>/current`) and signalling the server after each switch.
 */
export interface ModelSyncProps {
  /** The replicator's image (services/replicator/Dockerfile), e.g. `ghcr.io/acme/skyline-replicator`. */
  readonly imageRepository: string;
  /** A release tag such as `0.1.0`; required unless `imageDigest` is set. @default none */
  readonly imageTag?: string;
  /** `sha256:<64 hex>`. @default none (pulled by tag) */
  readonly imageDigest?: string;
  /**
   * The sidecar's config, except what the chart decides: `mode` (sync), `directory` (the model volume) and
   * `server` (the sidecar's port). A `file` signal must lie in the model volume, the only path both containers see.
   */
  readonly config: Omit<SyncConfigInput, 'mode' | 'directory' | 'server'>;
  /** The sidecar's HTTP port (health, metrics); must differ from the server's ports. @default 9464 */
  readonly port?: number;
  /** Longest first download before the kubelet restarts the sidecar; the server starts only after it. @default 1800 */
  readonly firstSyncTimeoutSeconds?: number;
  /** CPU request. @default 100 */
  readonly cpuMillicores?: number;
  /** Memory request and limit. @default 256 */
  readonly memoryMiB?: number;
}

/** A PodDisruptionBudget bound: a pod count, or a percentage such as `"50%"`. */
export type DisruptionBound = number | `${number}%`;

export interface ModelServingProps {
  /** The inference image's repository, e.g. `ghcr.io/acme/model-server`. */
  readonly imageRepository: string;
  /** A release tag such as `1.4.2`; required unless `imageDigest` is set. @default none */
  readonly imageTag?: string;
  /** `sha256:<64 hex>`: pulls exactly this image, whatever its tag now points to. @default none (pulled by tag) */
  readonly imageDigest?: string;
  /** The inference API's port. @default 8080 */
  readonly containerPort?: number;
  /** Port of the Prometheus metrics endpoint; must differ from `containerPort`. @default 9090 */
  readonly metricsPort?: number;
  /** @default '/metrics' */
  readonly metricsPath?: string;
  /** Readiness and startup path: answers 2xx once the model is loaded. @default '/health' */
  readonly healthPath?: string;
  /** Liveness path, when the server has a cheaper "process alive" endpoint. @default healthPath */
  readonly livenessPath?: string;
  /** Longest model load before the kubelet restarts the container. @default 600 */
  readonly startupTimeoutSeconds?: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** HPA target, percent of the CPU request. @default 70 */
  readonly targetCpuUtilizationPercent?: number;
  /** HPA target, percent of the memory request. @default 80 */
  readonly targetMemoryUtilizationPercent?: number;
  /** Also scale on this per-pod metric. @default none: CPU and memory only */
  readonly customMetric?: ModelServingCustomMetric;
  /** CPU request of the server container. */
  readonly cpuMillicores: number;
  /** @default cpuMillicores (requests = limits: Guaranteed QoS, steady latency) */
  readonly cpuLimitMillicores?: number;
  /** Memory request of the server container. */
  readonly memoryMiB: number;
  /** @default memoryMiB */
  readonly memoryLimitMiB?: number;
  /** GPUs per replica; more than 0 schedules on the tainted GPU pool. @default 0 */
  readonly gpuCount?: number;
  /** `skyline.io/gpu-type` to select, e.g. `nvidia-l4`; only with `gpuCount` > 0. @default any GPU node */
  readonly gpuType?: string;
  /** Refuse to schedule rather than skew replicas across zones. @default false (spread when there is room) */
  readonly zoneSpreadRequired?: boolean;
  /** Public DNS domain: the routes serve `api.<domain>` and `<regionName>.api.<domain>`. */
  readonly domain: string;
  /** DNS label of this region, e.g. `us-west-2`. */
  readonly regionName: string;
  readonly gatewayParentRef: GatewayParentRef;
  /** Set this or `pdbMaxUnavailable`, not both. @default none */
  readonly pdbMinAvailable?: DisruptionBound;
  /** @default 1 when `pdbMinAvailable` is not set */
  readonly pdbMaxUnavailable?: DisruptionBound;
  /** Workload identity annotations of the service account (the region's serving identity, for the sidecar). @default {} */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /** Extra pod labels, e.g. `azure.workload.identity/use: "true"` on AKS. @default {} */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Keep the model volume filled from the region's bucket. @default none: the volume stays empty */
  readonly modelSync?: ModelSyncProps;
  /** Mount a Kubernetes API token; only a server that calls the API needs one. @default false */
  readonly mountServiceAccountToken?: boolean;
  /** Numeric UID of the server; never 0. @default 10001 */
  readonly runAsUser?: number;
  /** @default 10001 */
  readonly runAsGroup?: number;
  /** Extra environment variables of the server container. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Where the server finds its model files (mounted read-only). @default DEFAULT_MODEL_MOUNT_PATH ('/models') */
  readonly modelMountPath?: string;
  /** Size limit of the model volume; the pod is evicted if the files outgrow it. */
  readonly modelVolumeSizeGiB: number;
  /** Size limit of /tmp, the only writable path. @default 1024 */
  readonly tmpVolumeSizeMiB?: number;
  /** Create the ServiceMonitor (needs the Prometheus operator's CRDs). @default true */
  readonly serviceMonitor?: boolean;
  /** @default 30 */
  readonly scrapeIntervalSeconds?: number;
}

/** The chart's values, key for key as values.schema.json (which rejects any other key). */
export interface ModelServingValues {
  readonly image: { readonly repository: string; readonly tag: string; readonly digest: string };
  readonly http: { readonly port: number };
  readonly metrics: { readonly port: number; readonly path: string };
  readonly probes: { readonly readiness: ProbeValues; readonly liveness: ProbeValues; readonly startup: ProbeValues };
  readonly resources: { readonly requests: CpuMemoryValues; readonly limits: CpuMemoryValues };
  readonly gpu: { readonly count: number; readonly type: string };
  readonly autoscaling: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly targetCPUUtilizationPercentage: number;
    readonly targetMemoryUtilizationPercentage: number;
    readonly customMetric: { readonly enabled: boolean; readonly name: string; readonly targetAverageValue: string };
  };
  readonly topologySpread: { readonly maxSkew: number; readonly whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule' };
  readonly podDisruptionBudget: {
    readonly enabled: boolean;
    readonly field: 'minAvailable' | 'maxUnavailable';
    readonly value: DisruptionBound;
  };
  readonly serviceAccount: { readonly name: string; readonly annotations: Readonly<Record<string, string>>; readonly automountToken: boolean };
  readonly securityContext: { readonly runAsUser: number; readonly runAsGroup: number };
  readonly env: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly modelSync: {
    readonly enabled: boolean;
    readonly image: { readonly repository: string; readonly tag: string; readonly digest: string };
    readonly port: number;
    readonly config: SyncConfigInput;
    readonly probes: { readonly startup: ProbeValues; readonly readiness: ProbeValues; readonly liveness: ProbeValues };
    readonly resources: { readonly requests: CpuMemoryValues; readonly limits: CpuMemoryValues };
  };
  readonly volumes: {
    readonly models: { readonly mountPath: string; readonly sizeLimit: string };
    readonly tmp: { readonly sizeLimit: string };
  };
  readonly networkPolicy: {
    readonly enabled: boolean;
    readonly gatewayNamespace: string;
    readonly gatewayPodLabels: Readonly<Record<string, string>>;
    readonly monitoringNamespace: string;
  };
  readonly serviceMonitor: { readonly enabled: boolean; readonly interval: string };
  readonly routes: {
    readonly enabled: boolean;
    readonly domain: string;
    readonly region: string;
    readonly parentRef: { readonly name: string; readonly namespace: string; readonly sectionName: string };
  };
}

/** Used in the HPA when the stack names no custom metric, so the chart's schema still sees a valid name. */
const DEFAULT_CUSTOM_METRIC = 'skyline_inference_requests_per_second';
const STARTUP_PERIOD_SECONDS = 10;

/** Maps props to the chart's values; throws one error listing every invalid prop. */
export function modelServingValues(props: ModelServingProps): ModelServingValues {
  const problems = propProblems(props);
  if (problems.length > 0) {
    throw new Error(
      `Invalid model-serving props (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
  }
  const healthPath = props.healthPath ?? '/health';
  const gpuCount = props.gpuCount ?? 0;
  const customMetric = props.customMetric;
  const pdb: Pick<ModelServingValues['podDisruptionBudget'], 'field' | 'value'> =
    props.pdbMinAvailable !== undefined
      ? { field: 'minAvailable', value: props.pdbMinAvailable }
      : { field: 'maxUnavailable', value: props.pdbMaxUnavailable ?? 1 };
  return {
    image: { repository: props.imageRepository, tag: props.imageTag ?? '', digest: props.imageDigest ?? '' },
    http: { port: props.containerPort ?? 8080 },
    metrics: { port: props.metricsPort ?? 9090, path: props.metricsPath ?? '/metrics' },
    probes: {
      readiness: { path: healthPath, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
      liveness: { path: props.livenessPath ?? healthPath, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
      startup: {
        path: healthPath,
        periodSeconds: STARTUP_PERIOD_SECONDS,
        timeoutSeconds: 5,
        failureThreshold: Math.ceil((props.startupTimeoutSeconds ?? 600) / STARTUP_PERIOD_SECONDS),
      },
    },
    resources: {
      requests: { cpu: `${props.cpuMillicores}m`, memory: `${props.memoryMiB}Mi` },
      limits: { cpu: `${props.cpuLimitMillicores ?? props.cpuMillicores}m`, memory: `${props.memoryLimitMiB ?? props.memoryMiB}Mi` },
    },
    gpu: { count: gpuCount, type: props.gpuType ?? '' },
    autoscaling: {
      minReplicas: props.minReplicas,
      maxReplicas: props.maxReplicas,
      targetCPUUtilizationPercentage: props.targetCpuUtilizationPercent ?? 70,
      targetMemoryUtilizationPercentage: props.targetMemoryUtilizationPercent ?? 80,
      customMetric: customMetric
        ? { enabled: true, name: customMetric.name, targetAverageValue: quantity(customMetric.targetAverageValue) }
        : { enabled: false, name: DEFAULT_CUSTOM_METRIC, targetAverageValue: '1' },
    },
    topologySpread: { maxSkew: 1, whenUnsatisfiable: props.zoneSpreadRequired ? 'DoNotSchedule' : 'ScheduleAnyway' },
    podDisruptionBudget: { enabled: true, ...pdb },
    serviceAccount: { name: MODEL_SERVING_SERVICE_ACCOUNT.name, annotations: { ...props.serviceAccountAnnotations }, automountToken: props.mountServiceAccountToken ?? false },
    securityContext: { runAsUser: props.runAsUser ?? 10001, runAsGroup: props.runAsGroup ?? 10001 },
    env: { ...props.env },
    podLabels: { ...props.podLabels },
    modelSync: modelSyncValues(props.modelSync, modelMountPath(props)),
    volumes: {
      models: { mountPath: modelMountPath(props), sizeLimit: `${props.modelVolumeSizeGiB}Gi` },
      tmp: { sizeLimit: `${props.tmpVolumeSizeMiB ?? 1024}Mi` },
    },
    networkPolicy: {
      enabled: true,
      gatewayNamespace: NAMESPACES.gateway.name,
      gatewayPodLabels: { ...ENVOY_PROXY_LABELS },
      monitoringNamespace: NAMESPACES.monitoring.name,
    },
    serviceMonitor: { enabled: props.serviceMonitor ?? true, interval: `${props.scrapeIntervalSeconds ?? 30}s` },
    routes: {
      enabled: true,
      domain: props.domain,
      region: props.regionName,
      parentRef: {
        name: props.gatewayParentRef.name,
        namespace: props.gatewayParentRef.namespace ?? NAMESPACES.gateway.name,
        sectionName: props.gatewayParentRef.sectionName,
      },
    },
  };
}

const DEFAULT_SYNC_PORT = 9464;
const SYNC_PROBE_PERIOD_SECONDS = 10;

function modelMountPath(props: Pick<ModelServingProps, 'modelMountPath'>): string {
  return (props.modelMountPath ?? DEFAULT_MODEL_MOUNT_PATH).replace(/\/+$/, '');
}

/** The sidecar's config as the chart mounts it: the props' config plus what the chart decides. */
function syncConfig(sync: ModelSyncProps, directory: string): SyncConfigInput {
  return { ...sync.config, mode: 'sync', directory, server: { host: '0.0.0.0', port: sync.port ?? DEFAULT_SYNC_PORT } };
}

function modelSyncValues(sync: ModelSyncProps | undefined, directory: string): ModelServingValues['modelSync'] {
  // Disabled: a placeholder the chart's schema accepts; nothing of it is rendered.
  const props: ModelSyncProps = sync ?? {
    imageRepository: 'registry.example.com/skyline/replicator',
    imageTag: 'unused',
    config: { store: { kind: 's3', bucket: 'unused', region: 'us-east-1' }, model: 'unused', signal: { kind: 'file', path: `${directory}/.reload` } },
  };
  const memory = `${props.memoryMiB ?? 256}Mi`;
  const cpuMillicores = props.cpuMillicores ?? 100;
  return {
    enabled: sync !== undefined,
    image: { repository: props.imageRepository, tag: props.imageTag ?? '', digest: props.imageDigest ?? '' },
    port: props.port ?? DEFAULT_SYNC_PORT,
    config: syncConfig(props, directory),
    probes: {
      startup: {
        path: '/readyz',
        periodSeconds: SYNC_PROBE_PERIOD_SECONDS,
        timeoutSeconds: 2,
        failureThreshold: Math.ceil((props.firstSyncTimeoutSeconds ?? 1800) / SYNC_PROBE_PERIOD_SECONDS),
      },
      readiness: { path: '/readyz', periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
      liveness: { path: '/healthz', periodSeconds: 20, timeoutSeconds: 2, failureThreshold: 3 },
    },
    resources: { requests: { cpu: `${cpuMillicores}m`, memory }, limits: { cpu: `${Math.max(1000, cpuMillicores)}m`, memory } },
  };
}

/** Every problem with the sidecar's props, its config checked by the replicator's own schema. */
function modelSyncProblems(props: ModelServingProps): string[] {
  const sync = props.modelSync;
  if (sync === undefined) return [];
  const problems: string[] = [];
  const check = (ok: boolean, field: string, value: unknown, fix: string): void => {
    if (!ok) problems.push(`modelSync.${field} is ${JSON.stringify(value)}: ${fix}`);
  };
  check(IMAGE_REPOSITORY.test(sync.imageRepository), 'imageRepository', sync.imageRepository, 'must be an image repository without tag or digest, such as ghcr.io/acme/skyline-replicator');
  if (sync.imageTag === undefined && sync.imageDigest === undefined) {
    problems.push('modelSync.imageTag and modelSync.imageDigest are both unset: set imageTag (e.g. "0.1.0") or imageDigest ("sha256:<64 hex>")');
  }
  if (sync.imageTag !== undefined) check(IMAGE_TAG.test(sync.imageTag) && sync.imageTag !== 'latest', 'imageTag', sync.imageTag, 'must be a fixed release tag such as 0.1.0 (not "latest")');
  if (sync.imageDigest !== undefined) check(IMAGE_DIGEST.test(sync.imageDigest), 'imageDigest', sync.imageDigest, 'must be "sha256:" followed by 64 lowercase hex digits');
  const port = sync.port ?? DEFAULT_SYNC_PORT;
  const serverPorts = [props.containerPort ?? 8080, props.metricsPort ?? 9090];
  check(Number.isInteger(port) && port >= 1024 && port <= 65535 && !serverPorts.includes(port), 'port', port, `must be a port from 1024 to 65535 other than the server's (${serverPorts.join(', ')}): the containers share the pod's network`);
  if (sync.firstSyncTimeoutSeconds !== undefined) {
    check(Number.isInteger(sync.firstSyncTimeoutSeconds) && sync.firstSyncTimeoutSeconds >= SYNC_PROBE_PERIOD_SECONDS, 'firstSyncTimeoutSeconds', sync.firstSyncTimeoutSeconds, `must be a whole number of seconds, ${SYNC_PROBE_PERIOD_SECONDS} or more`);
  }
  for (const field of ['cpuMillicores', 'memoryMiB'] as const) {
    const value = sync[field];
    if (value !== undefined) check(Number.isInteger(value) && value >= 1, field, value, 'must be a whole number, 1 or more');
  }
  const directory = modelMountPath(props);
  const { signal } = sync.config;
  if (signal.kind === 'file') {
    check(signal.path.startsWith(`${directory}/`), 'config.signal.path', signal.path, `must lie in the model volume (${directory}/...), the only path both containers see`);
  }
  try {
    parseReplicatorConfig(syncConfig(sync, directory), 'model-serving props.modelSync.config');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((problem) => `modelSync.config.${problem.field} is ${JSON.stringify(problem.value)}: ${problem.message}`));
  }
  return problems;
}

/** A Kubernetes quantity: whole numbers as they are, fractions in milli-units (12.5 -> 12500m), never 1e21 notation. */
function quantity(value: number): string {
  return Number.isInteger(value) ? String(value) : `${Math.round(value * 1000)}m`;
}

const IMAGE_REPOSITORY = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
const HTTP_PATH = /^\/[A-Za-z0-9._~/-]*$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;
const GATEWAY_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const PERCENTAGE = /^([0-9]|[1-9][0-9]|100)%$/;

/** Every problem with the props, each naming the field, the value and the fix. */
function propProblems(props: ModelServingProps): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, field: string, value: unknown, fix: string): void => {
    if (!ok) problems.push(`${field} is ${JSON.stringify(value)}: ${fix}`);
  };
  const wholeAtLeast = (field: keyof ModelServingProps, min: number, unit: string): void => {
    const value = props[field];
    if (value !== undefined) check(Number.isInteger(value) && Number(value) >= min, field, value, `must be a whole number of ${unit}, ${min} or more`);
  };
  const port = (field: 'containerPort' | 'metricsPort'): void => {
    const value = props[field];
    if (value !== undefined) {
      check(Number.isInteger(value) && value >= 1024 && value <= 65535, field, value, 'must be a port from 1024 to 65535: the server runs as non-root and cannot bind lower ports');
    }
  };
  const path = (field: 'metricsPath' | 'healthPath' | 'livenessPath'): void => {
    const value = props[field];
    if (value !== undefined) check(HTTP_PATH.test(value), field, value, 'must be an absolute URL path such as /health');
  };
  const percent = (field: 'targetCpuUtilizationPercent' | 'targetMemoryUtilizationPercent'): void => {
    const value = props[field];
    if (value !== undefined) check(Number.isInteger(value) && value >= 1 && value <= 100, field, value, 'must be a whole percentage from 1 to 100');
  };

  check(IMAGE_REPOSITORY.test(props.imageRepository), 'imageRepository', props.imageRepository, 'must be an image repository without tag or digest, such as ghcr.io/acme/model-server');
  if (props.imageTag === undefined && props.imageDigest === undefined) {
    problems.push('imageTag and imageDigest are both unset: set imageTag (e.g. "1.4.2") or imageDigest ("sha256:<64 hex>")');
  }
  if (props.imageTag !== undefined) {
    check(IMAGE_TAG.test(props.imageTag) && props.imageTag !== 'latest', 'imageTag', props.imageTag, 'must be a fixed release tag such as 1.4.2 (not "latest")');
  }
  if (props.imageDigest !== undefined) check(IMAGE_DIGEST.test(props.imageDigest), 'imageDigest', props.imageDigest, 'must be "sha256:" followed by 64 lowercase hex digits');

  port('containerPort');
  port('metricsPort');
  const containerPort = props.containerPort ?? 8080;
  const metricsPort = props.metricsPort ?? 9090;
  check(containerPort !== metricsPort, 'metricsPort', metricsPort, `must differ from containerPort (${containerPort}), so the NetworkPolicy opens metrics to the monitoring namespace alone`);
  path('metricsPath');
  path('healthPath');
  path('livenessPath');
  wholeAtLeast('startupTimeoutSeconds', STARTUP_PERIOD_SECONDS, 'seconds');

  wholeAtLeast('minReplicas', 1, 'replicas');
  wholeAtLeast('maxReplicas', 1, 'replicas');
  check(props.minReplicas <= props.maxReplicas, 'minReplicas', props.minReplicas, `must not exceed maxReplicas (${props.maxReplicas}): lower minReplicas or raise maxReplicas`);
  percent('targetCpuUtilizationPercent');
  percent('targetMemoryUtilizationPercent');
  if (props.customMetric) {
    const { name, targetAverageValue } = props.customMetric;
    check(METRIC_NAME.test(name), 'customMetric.name', name, 'must be a Prometheus metric name such as skyline_inference_requests_per_second');
    check(Number.isFinite(targetAverageValue) && targetAverageValue >= 0.001, 'customMetric.targetAverageValue', targetAverageValue, 'must be a positive per-pod average, 0.001 or more');
  }

  wholeAtLeast('cpuMillicores', 1, 'millicores');
  wholeAtLeast('cpuLimitMillicores', 1, 'millicores');
  wholeAtLeast('memoryMiB', 1, 'MiB');
  wholeAtLeast('memoryLimitMiB', 1, 'MiB');
  if (props.cpuLimitMillicores !== undefined) {
    check(props.cpuLimitMillicores >= props.cpuMillicores, 'cpuLimitMillicores', props.cpuLimitMillicores, `must be at least cpuMillicores (${props.cpuMillicores}): the API server rejects a limit below the request`);
  }
  if (props.memoryLimitMiB !== undefined) {
    check(props.memoryLimitMiB >= props.memoryMiB, 'memoryLimitMiB', props.memoryLimitMiB, `must be at least memoryMiB (${props.memoryMiB}): the API server rejects a limit below the request`);
  }

  wholeAtLeast('gpuCount', 0, 'GPUs');
  if (props.gpuType !== undefined) {
    check(DNS_LABEL.test(props.gpuType), 'gpuType', props.gpuType, 'must be an accelerator label value such as nvidia-l4');
    check((props.gpuCount ?? 0) > 0, 'gpuType', props.gpuType, 'only applies to GPU replicas: set gpuCount to 1 or more, or remove gpuType');
  }

  check(DNS_NAME.test(props.domain), 'domain', props.domain, 'must be a lowercase DNS name such as ml.example.com');
  check(DNS_LABEL.test(props.regionName), 'regionName', props.regionName, 'must be one lowercase DNS label such as us-west-2');
  const gateway = props.gatewayParentRef;
  check(GATEWAY_NAME.test(gateway.name), 'gatewayParentRef.name', gateway.name, 'must be a Kubernetes object name such as regional');
  if (gateway.namespace !== undefined) check(DNS_LABEL.test(gateway.namespace), 'gatewayParentRef.namespace', gateway.namespace, 'must be a namespace name such as envoy-gateway-system');
  check(DNS_LABEL.test(gateway.sectionName), 'gatewayParentRef.sectionName', gateway.sectionName, 'must be the name of a listener of the Gateway, such as https');

  problems.push(...disruptionProblems(props));
  problems.push(...modelSyncProblems(props));

  wholeAtLeast('runAsUser', 1, 'user ID (0 is root)');
  wholeAtLeast('runAsGroup', 1, 'group ID (0 is root)');
  for (const name of Object.keys(props.podLabels ?? {})) {
    check(LABEL_KEY.test(name) && !name.startsWith('app.kubernetes.io/') && name !== 'helm.sh/chart', `podLabels.${name}`, name, 'must be a label key of your own (not app.kubernetes.io/* or helm.sh/chart, which the chart sets)');
  }
  for (const name of Object.keys(props.env ?? {})) {
    check(ENV_NAME.test(name), `env.${name}`, name, 'must be an environment variable name: letters, digits and _, not starting with a digit');
  }
  if (props.modelMountPath !== undefined) {
    check(
      HTTP_PATH.test(props.modelMountPath) && !['/', '/tmp'].includes(props.modelMountPath.replace(/\/+$/, '') || '/'),
      'modelMountPath',
      props.modelMountPath,
      'must be an absolute path of its own such as /models (not / or /tmp)',
    );
  }
  wholeAtLeast('modelVolumeSizeGiB', 1, 'GiB');
  wholeAtLeast('tmpVolumeSizeMiB', 1, 'MiB');
  wholeAtLeast('scrapeIntervalSeconds', 1, 'seconds');
  return problems;
}

/** A budget that never allows an eviction stalls every node drain and cluster upgrade. */
function disruptionProblems(props: ModelServingProps): string[] {
  const { pdbMinAvailable: min, pdbMaxUnavailable: max } = props;
  if (min !== undefined && max !== undefined) {
    return [`pdbMinAvailable is ${JSON.stringify(min)} and pdbMaxUnavailable is ${JSON.stringify(max)}: a PodDisruptionBudget takes one of them; remove the other`];
  }
  const problems: string[] = [];
  const bound = (field: string, value: DisruptionBound): boolean => {
    const ok = typeof value === 'number' ? Number.isInteger(value) && value >= 0 : PERCENTAGE.test(value);
    if (!ok) problems.push(`${field} is ${JSON.stringify(value)}: must be a whole number of pods or a percentage such as "50%"`);
    return ok;
  };
  if (min !== undefined && bound('pdbMinAvailable', min) && (typeof min === 'number' ? min >= props.minReplicas : min === '100%')) {
    problems.push(`pdbMinAvailable is ${JSON.stringify(min)}: at minReplicas (${props.minReplicas}) no pod could ever be evicted; use a value below minReplicas`);
  }
  if (max !== undefined && bound('pdbMaxUnavailable', max) && (max === 0 || max === '0%')) {
    problems.push(`pdbMaxUnavailable is ${JSON.stringify(max)}: no pod could ever be evicted; use 1 or more`);
  }
  return problems;
}
