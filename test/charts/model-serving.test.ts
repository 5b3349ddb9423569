/**
 * The model-serving chart, rendered by the real helm for the chart's defaults
 * and three value sets built by modelServingValues; the output is checked by
 * helm lint, kubernetes-validate (Kubernetes 1.33 schemas), the CRD schemas
 * of its custom resources, checkov, and targeted assertions on the parsed
 * manifests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ENVOY_PROXY_LABELS } from '../../constructs/workloads/cluster-baseline';
import { NAMESPACES } from '../../constructs/workloads/namespaces';
import { MODEL_SERVING_CHART_DIR, modelServingValues, type ModelServingProps, type ModelServingValues } from '../../constructs/workloads/model-serving-values';
import { parseReplicatorConfig } from '../../services/replicator/src/config';
import { isCustomResource, validateCustomResources } from '../helpers/crd-validation';
import { expectCheckovPodChecksPassed, expectHealthProbes, expectNoCheckovFailure, expectRestrictedContainerSecurityContext, expectRestrictedPodSecurityContext } from '../helpers/chart-assertions';
import { checkovKubernetes, KUBERNETES_VERSION, parseManifests, renderChart, run, type ChartRenders, type CheckovReport, type Run } from '../helpers/charts';
import { toolPath } from '../helpers/tools';

const RELEASE = 'model-serving';
const NAMESPACE = NAMESPACES.serving.name;
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
/**
 * Custom resources kubernetes-validate has no schema for (it would only warn).
 * They are skipped there by kind, validated against their CRDs' schemas
 * instead (Gateway API, prometheus-operator), and checked below by what they
 * reference: the Service, its ports and its labels.
 */
const CRD_KINDS = new Set(['HTTPRoute', 'ServiceMonitor']);

const gatewayParentRef = { name: 'regional', sectionName: 'https' };

/** AKS: Entra workload identity (annotation and pod label), model sync from Azure Blob, reload by a file the server watches. */
const AKS_PROPS = {
  imageRepository: 'acmeml.azurecr.io/serving/model-server',
  imageTag: '1.4.2',
  minReplicas: 1,
  maxReplicas: 3,
  cpuMillicores: 500,
  memoryMiB: 1024,
  domain: 'ml.example.com',
  regionName: 'centralindia',
  gatewayParentRef,
  serviceAccountAnnotations: { 'azure.workload.identity/client-id': '66666666-7777-8888-9999-000000000000' },
  podLabels: { 'azure.workload.identity/use': 'true' },
  modelVolumeSizeGiB: 10,
  modelSync: {
    imageRepository: 'acmeml.azurecr.io/skyline/replicator',
    imageDigest: DIGEST,
    config: {
      store: { kind: 'azure-blob', accountUrl: 'https://skylineprodmodelsci.blob.core.windows.net', container: 'models' },
      model: 'resnet50',
      pollIntervalSeconds: 60,
      signal: { kind: 'file', path: '/models/.reload' },
    },
  },
} satisfies ModelServingProps;

const VALUE_SETS = {
  /** CPU only, by tag, small. */
  dev: modelServingValues({
    imageRepository: 'ghcr.io/acme/model-server',
    imageTag: '1.4.2',
    minReplicas: 1,
    maxReplicas: 2,
    cpuMillicores: 500,
    memoryMiB: 1024,
    domain: 'dev.ml.example.com',
    regionName: 'us-west-2',
    gatewayParentRef,
    modelVolumeSizeGiB: 10,
  }),
  /** CPU, by digest, GKE workload identity, its own model path and liveness endpoint; model sync from GCS, reload by HTTP. */
  staging: modelServingValues({
    imageRepository: 'europe-west1-docker.pkg.dev/acme-ml/serving/model-server',
    imageDigest: DIGEST,
    minReplicas: 2,
    maxReplicas: 4,
    cpuMillicores: 1000,
    cpuLimitMillicores: 2000,
    memoryMiB: 4096,
    livenessPath: '/live',
    domain: 'staging.ml.example.com',
    regionName: 'europe-west1',
    gatewayParentRef,
    pdbMinAvailable: 1,
    serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': 'model-serving@acme-ml.iam.gserviceaccount.com' },
    env: { MODEL_DIR: '/var/lib/models', LOG_LEVEL: 'info' },
    modelMountPath: '/var/lib/models',
    modelVolumeSizeGiB: 30,
    modelSync: {
      imageRepository: 'ghcr.io/acme/skyline-replicator',
      imageTag: '0.1.0',
      config: { store: { kind: 'gcs', bucket: 'skyline-staging-models-euw1' }, model: 'resnet50', signal: { kind: 'http', url: 'http://127.0.0.1:8080/admin/reload' } },
      firstSyncTimeoutSeconds: 3600,
    },
  }),
  /** GPU, by digest, scaled on request rate too, IRSA, strict zone spread. */
  prod: modelServingValues({
    imageRepository: '333333333333.dkr.ecr.us-west-2.amazonaws.com/skyline/model-server',
    imageDigest: DIGEST,
    minReplicas: 3,
    maxReplicas: 12,
    cpuMillicores: 4000,
    memoryMiB: 16384,
    gpuCount: 1,
    gpuType: 'nvidia-l4',
    customMetric: { name: 'skyline_inference_requests_per_second', targetAverageValue: 20 },
    zoneSpreadRequired: true,
    startupTimeoutSeconds: 1200,
    domain: 'ml.example.com',
    regionName: 'us-west-2',
    gatewayParentRef,
    pdbMaxUnavailable: '25%',
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::333333333333:role/prod-model-serving' },
    modelVolumeSizeGiB: 100,
  }),
  aks: modelServingValues(AKS_PROPS),
} satisfies Record<string, ModelServingValues>;

type SetName = keyof typeof VALUE_SETS;
/** The chart's own defaults are rendered and checked too. */
type RenderName = SetName | 'defaults';
const SET_NAMES = Object.keys(VALUE_SETS) as SetName[];
const RENDER_NAMES: RenderName[] = ['defaults', ...SET_NAMES];

interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly automountServiceAccountToken?: boolean;
  readonly data?: Record<string, string>;
  readonly spec: Record<string, unknown>;
}
interface Container {
  readonly image: string;
  readonly imagePullPolicy: string;
  readonly ports: { readonly name: string; readonly containerPort: number }[];
  readonly env?: { readonly name: string; readonly value: string }[];
  readonly readinessProbe: unknown;
  readonly livenessProbe: unknown;
  readonly startupProbe: unknown;
  readonly resources: { readonly requests: Record<string, unknown>; readonly limits: Record<string, unknown> };
  readonly securityContext: unknown;
  readonly volumeMounts: { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }[];
}
interface SidecarContainer extends Container {
  readonly name: string;
  readonly restartPolicy: string;
  readonly args: string[];
}
interface PodSpec {
  readonly serviceAccountName: string;
  readonly initContainers?: SidecarContainer[];
  readonly automountServiceAccountToken: boolean;
  readonly securityContext: unknown;
  readonly nodeSelector: Record<string, string>;
  readonly tolerations?: unknown[];
  readonly topologySpreadConstraints: unknown[];
  readonly containers: Container[];
  readonly volumes: { readonly name: string; readonly emptyDir?: { readonly sizeLimit: string } }[];
}
interface Port {
  readonly name: string;
  readonly port: number;
}

function helm(args: string[]): Run {
  return run(toolPath('helm'), args);
}

function helmArgs(valuesFile: string | undefined): string[] {
  return [MODEL_SERVING_CHART_DIR, '--namespace', NAMESPACE, '--kube-version', KUBERNETES_VERSION, ...(valuesFile ? ['--values', valuesFile] : [])];
}

let charts: ChartRenders<Manifest>;

function manifestsOf(name: RenderName, kind: string): Manifest[] {
  return charts.rendered[name].filter((manifest) => manifest.kind === kind);
}

function only(name: RenderName, kind: string): Manifest {
  const matches = manifestsOf(name, kind);
  if (matches.length !== 1) throw new Error(`${name}: expected exactly one ${kind}, found ${matches.length}`);
  return matches[0];
}

function podSpec(name: RenderName): PodSpec {
  return (only(name, 'Deployment').spec.template as { spec: PodSpec }).spec;
}

function server(name: RenderName): Container {
  return podSpec(name).containers[0];
}

beforeAll(() => {
  const valueSets: Record<string, object | undefined> = { defaults: undefined, ...VALUE_SETS };
  charts = renderChart<Manifest>({ chartDir: MODEL_SERVING_CHART_DIR, release: RELEASE, namespace: NAMESPACE, valueSets });
}, 60_000);

afterAll(() => charts?.cleanUp());

describe('model-serving chart', () => {
  describe.each(RENDER_NAMES)('%s values', (name) => {
    it('passes helm lint --strict', () => {
      expect(charts.lint[name].stdout + charts.lint[name].stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
      expect(charts.lint[name].status).toBe(0);
    });

    it('renders every object in the release namespace', () => {
      expect(charts.rendered[name].length).toBeGreaterThanOrEqual(6);
      for (const manifest of charts.rendered[name]) expect(manifest.metadata.namespace).toBe(NAMESPACE);
    });
  });

  it('maps every value the chart defines, and no other (the TS side mirrors values.yaml)', () => {
    const defaults = parse(readFileSync(join(MODEL_SERVING_CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    // Free-form maps (env, annotations, labels) hold whatever the stack sets: compare the keys above them.
    const freeFormMaps = ['env', 'podLabels', 'serviceAccount.annotations', 'networkPolicy.gatewayPodLabels', 'modelSync.config'];
    const keyPaths = (value: unknown, prefix = ''): string[] =>
      value !== null && typeof value === 'object' && !Array.isArray(value) && !freeFormMaps.includes(prefix)
        ? Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key))
        : [prefix];
    for (const name of SET_NAMES) expect(keyPaths(VALUE_SETS[name]).sort()).toEqual(keyPaths(defaults).sort());
  });

  describe('values schema', () => {
    it.each([
      ['a misspelt nested key', { autoscaling: { ...VALUE_SETS.dev.autoscaling, maxReplica: 3 } }, "at '/autoscaling': additional properties 'maxReplica' not allowed"],
      ['an unknown top-level key', { replicaCount: 3 }, "additional properties 'replicaCount' not allowed"],
      ['a privileged port', { http: { port: 80 } }, "at '/http/port'"],
      ['root', { securityContext: { runAsUser: 0, runAsGroup: 0 } }, "at '/securityContext/runAsUser'"],
      ['routes without a domain', { routes: { ...VALUE_SETS.dev.routes, domain: '' } }, "at '/routes/domain'"],
      ['a sync sidecar without its config', { modelSync: { ...VALUE_SETS.dev.modelSync, enabled: true, config: {} } }, "at '/modelSync/config'"],
      // null deletes a default key in helm: this empties the selector, which would admit the whole gateway namespace.
      ['an empty gateway pod selector', { networkPolicy: { ...VALUE_SETS.dev.networkPolicy, gatewayPodLabels: Object.fromEntries(Object.keys(ENVOY_PROXY_LABELS).map((key) => [key, null])) } }, "at '/networkPolicy/gatewayPodLabels'"],
    ])('fails helm template on %s', (_label, override, message) => {
      const file = join(charts.workDir, 'invalid.values.yaml');
      writeFileSync(file, stringify({ ...VALUE_SETS.dev, ...override }));
      const result = helm(['template', RELEASE, ...helmArgs(file)]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain("values don't meet the specifications of the schema");
      expect(result.stderr).toContain(message);
    });

    it.each([
      ['metrics.port=8080', 'http.port and metrics.port are both 8080'],
      ['autoscaling.minReplicas=9', 'autoscaling.minReplicas (9) is greater than autoscaling.maxReplicas (4)'],
    ])('fails helm template on %s (checks across values)', (set, message) => {
      const result = helm(['template', RELEASE, ...helmArgs(undefined), '--set', set]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(message);
    });
  });

  describe('kubernetes-validate against Kubernetes 1.33 (strict)', () => {
    let output: string[];
    const negativeControl = (): string => join(charts.workDir, 'negative-control.yaml');

    beforeAll(() => {
      // A Deployment with a misspelt field: proves the validator rejects what the schemas forbid.
      const deployment = only('dev', 'Deployment');
      const broken = { ...deployment, spec: { ...deployment.spec, replica: 2 } };
      writeFileSync(negativeControl(), stringify(broken));
      const files = [...RENDER_NAMES.map((name) => charts.builtinFile(name)), negativeControl()];
      const result = run(toolPath('kubernetesValidate'), ['--strict', '--kubernetes-version', KUBERNETES_VERSION, ...files]);
      output = result.stdout.split('\n').filter((line) => line.trim() !== '');
    }, 60_000);

    it.each(RENDER_NAMES)('passes every built-in object of the %s render, and nothing else is said about it', (name) => {
      const file = charts.builtinFile(name);
      const lines = output.filter((line) => line.includes(` ${file} `));
      const expected = charts.rendered[name]
        .filter((manifest) => !CRD_KINDS.has(manifest.kind))
        .map((manifest) => `INFO ${file} passed for resource ${manifest.kind.toLowerCase()}/${manifest.metadata.name} against version 1.33`);
      expect(lines.sort()).toEqual(expected.sort());
    });

    it('rejects the negative control, so a pass above means something', () => {
      expect(output.filter((line) => line.includes(negativeControl()))).toEqual([
        expect.stringMatching(/^ERROR .* did not validate for resource deployment\/model-serving against version 1\.33: spec: .*'replica'/),
      ]);
    });
  });

  describe('custom resources against their CRD schemas (strict fields)', () => {
    it.each(RENDER_NAMES)('%s: every HTTPRoute and ServiceMonitor is valid, and these are the only custom kinds', (name) => {
      const custom = charts.rendered[name].filter(isCustomResource);
      // Every object is checked by kubernetes-validate or here, none by neither.
      expect(custom.length).toBeGreaterThan(0);
      for (const manifest of charts.rendered[name]) expect(CRD_KINDS.has(manifest.kind)).toBe(isCustomResource(manifest));
      expect(validateCustomResources(custom)).toEqual([]);
    });

    it('rejects a misspelt route field, so a pass above means something', () => {
      const route = manifestsOf('dev', 'HTTPRoute')[0];
      const broken = { ...route, spec: { ...route.spec, hostname: route.spec.hostnames } };
      expect(validateCustomResources([broken])).toEqual([expect.stringMatching(/^HTTPRoute .*: spec: unknown field "hostname"$/)]);
    });
  });

  describe('checkov', () => {
    let report: CheckovReport;

    beforeAll(() => {
      report = checkovKubernetes(charts.renderedDir, join(MODEL_SERVING_CHART_DIR, '.checkov.yaml'));
    }, 120_000);

    it('finds no unsuppressed failure in any render', () => {
      expectNoCheckovFailure(report);
    });

    it.each(RENDER_NAMES)('ran the pod-security checks on the %s Deployment, and found its pods covered by a NetworkPolicy', (name) => {
      expectCheckovPodChecksPassed(report, { renderName: name, namespace: NAMESPACE, release: RELEASE });
    });
  });

  describe('security context', () => {
    it.each(RENDER_NAMES)('%s: runs as a numeric non-root user with nothing to escalate to', (name) => {
      expectRestrictedPodSecurityContext(podSpec(name).securityContext);
      expectRestrictedContainerSecurityContext(server(name).securityContext);
    });

    it.each(RENDER_NAMES)('%s: mounts no service account token', (name) => {
      expect(podSpec(name).automountServiceAccountToken).toBe(false);
      expect(only(name, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    });

    it('writes only to a size-limited /tmp; the model volume is read-only', () => {
      const pod = podSpec('staging');
      expect(pod.volumes).toEqual([
        { name: 'tmp', emptyDir: { sizeLimit: '1024Mi' } },
        { name: 'models', emptyDir: { sizeLimit: '30Gi' } },
        { name: 'model-sync-config', configMap: { name: 'model-serving-model-sync' } },
      ]);
      expect(server('staging').volumeMounts).toEqual([
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'models', mountPath: '/var/lib/models', readOnly: true },
      ]);
    });

    it('pulls the staging and prod images by digest, dev by tag, never re-pulling a present image', () => {
      expect(server('dev').image).toBe('ghcr.io/acme/model-server:1.4.2');
      expect(server('staging').image).toBe(`europe-west1-docker.pkg.dev/acme-ml/serving/model-server@${DIGEST}`);
      expect(server('prod').image).toBe(`333333333333.dkr.ecr.us-west-2.amazonaws.com/skyline/model-server@${DIGEST}`);
      for (const name of RENDER_NAMES) expect(server(name).imagePullPolicy).toBe('IfNotPresent');
    });

    it('annotates the service account for workload identity', () => {
      expect(only('prod', 'ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::333333333333:role/prod-model-serving' });
      expect(only('dev', 'ServiceAccount').metadata.annotations).toBeUndefined();
    });
  });

  describe('probes', () => {
    it('is ready on /health, lives on its own path, and gives the model load its startup budget', () => {
      const staging = server('staging');
      expect(staging.readinessProbe).toEqual({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 });
      expect(staging.livenessProbe).toMatchObject({ httpGet: { path: '/live', port: 'http' } });
      expect(staging.startupProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, failureThreshold: 60 });
      expect(server('prod').startupProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 120 });
    });
  });

  describe('scheduling', () => {
    it('puts CPU replicas on the serving pool without tolerating the GPU taint or asking for GPUs', () => {
      expect(podSpec('dev').nodeSelector).toEqual({ 'skyline.io/pool-role': 'serving' });
      expect(podSpec('dev').tolerations).toBeUndefined();
      expect(server('dev').resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { cpu: '500m', memory: '1024Mi' } });
    });

    it('puts GPU replicas on the GPU pool of the requested type, tolerating its taint, with the GPU in the limits', () => {
      expect(podSpec('prod').nodeSelector).toEqual({ 'skyline.io/pool-role': 'gpu', 'skyline.io/gpu-type': 'nvidia-l4' });
      expect(podSpec('prod').tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
      expect(server('prod').resources.limits).toEqual({ cpu: '4000m', memory: '16384Mi', 'nvidia.com/gpu': 1 });
    });

    it('spreads replicas over zones, strictly in prod', () => {
      const constraint = (name: RenderName): unknown => podSpec(name).topologySpreadConstraints;
      const selector = { matchLabels: { 'app.kubernetes.io/name': 'model-serving', 'app.kubernetes.io/instance': RELEASE } };
      expect(constraint('prod')).toEqual([
        { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector, matchLabelKeys: ['pod-template-hash'] },
      ]);
      expect(constraint('dev')).toEqual([expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' })]);
    });

    it('leaves the replica count to the autoscaler', () => {
      for (const name of RENDER_NAMES) expect(only(name, 'Deployment').spec.replicas).toBeUndefined();
    });
  });

  describe('autoscaling and disruption', () => {
    const cpuAndMemory = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ];

    it('scales dev on CPU and memory only', () => {
      expect(only('dev', 'HorizontalPodAutoscaler').spec).toMatchObject({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: RELEASE },
        minReplicas: 1,
        maxReplicas: 2,
        metrics: cpuAndMemory,
      });
    });

    it('scales prod on the per-pod request rate too', () => {
      expect(only('prod', 'HorizontalPodAutoscaler').spec).toMatchObject({
        minReplicas: 3,
        maxReplicas: 12,
        metrics: [
          ...cpuAndMemory,
          { type: 'Pods', pods: { metric: { name: 'skyline_inference_requests_per_second' }, target: { type: 'AverageValue', averageValue: '20' } } },
        ],
      });
    });

    it('bounds disruptions as configured, and lets never-ready pods be evicted', () => {
      expect(only('dev', 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
      expect(only('staging', 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 1 });
      expect(only('staging', 'PodDisruptionBudget').spec.maxUnavailable).toBeUndefined();
      expect(only('prod', 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: '25%' });
    });
  });

  describe('network', () => {
    it.each(SET_NAMES)('%s: admits inference traffic from the Envoy proxies and scrapes from monitoring, on their ports only', (name) => {
      expect(only(name, 'NetworkPolicy').spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'model-serving', 'app.kubernetes.io/instance': RELEASE } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NAMESPACES.gateway.name } }, podSelector: { matchLabels: ENVOY_PROXY_LABELS } }],
            ports: [{ protocol: 'TCP', port: 8080 }],
          },
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NAMESPACES.monitoring.name } } }],
            // The sync sidecar's metrics too, where it runs.
            ports: [{ protocol: 'TCP', port: 9090 }, ...(VALUE_SETS[name].modelSync.enabled ? [{ protocol: 'TCP', port: 9464 }] : [])],
          },
        ],
      });
    });

    it('exposes the HTTP and metrics ports on the Service, to the server pods only', () => {
      const service = only('dev', 'Service');
      expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'model-serving', 'app.kubernetes.io/instance': RELEASE });
      expect((service.spec.ports as Port[]).map(({ name, port }) => ({ name, port }))).toEqual([
        { name: 'http', port: 8080 },
        { name: 'metrics', port: 9090 },
      ]);
    });
  });

  describe('routes', () => {
    it.each([
      ['dev', 'dev.ml.example.com', 'us-west-2'],
      ['staging', 'staging.ml.example.com', 'europe-west1'],
      ['prod', 'ml.example.com', 'us-west-2'],
      ['aks', 'ml.example.com', 'centralindia'],
    ] as const)('%s: serves api.<domain> and <region>.api.<domain> through the gateway HTTPS listener', (name, domain, region) => {
      const routes = manifestsOf(name, 'HTTPRoute');
      expect(routes.map((route) => route.spec.hostnames).sort()).toEqual([[`${region}.api.${domain}`], [`api.${domain}`]].sort());
      for (const route of routes) {
        expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
        expect(route.spec.parentRefs).toEqual([
          { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'regional', namespace: NAMESPACES.gateway.name, sectionName: 'https' },
        ]);
      }
    });

    it('sends every path to a port the Service exposes', () => {
      const service = only('prod', 'Service');
      const servicePorts = (service.spec.ports as Port[]).map((port) => port.port);
      for (const route of manifestsOf('prod', 'HTTPRoute')) {
        expect(route.spec.rules).toEqual([
          { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: service.metadata.name, port: 8080 }] },
        ]);
        expect(servicePorts).toContain(8080);
      }
    });

    it('renders no route from the chart defaults (no domain to serve)', () => {
      expect(manifestsOf('defaults', 'HTTPRoute')).toEqual([]);
    });
  });

  describe('monitoring', () => {
    it('lets Prometheus find the service by label and scrape its metrics port and path', () => {
      const monitor = only('prod', 'ServiceMonitor');
      const service = only('prod', 'Service');
      expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(monitor.metadata.labels?.['skyline.io/monitor']).toBe('true');
      const selector = (monitor.spec.selector as { matchLabels: Record<string, string> }).matchLabels;
      expect(service.metadata.labels).toMatchObject(selector);
      expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [NAMESPACE] });
      expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
      expect((service.spec.ports as Port[]).map((port) => port.name)).toContain('metrics');
    });

    it('drops the ServiceMonitor, PodDisruptionBudget and NetworkPolicy when switched off', () => {
      const result = helm(['template', RELEASE, ...helmArgs(undefined), '--set', 'serviceMonitor.enabled=false,podDisruptionBudget.enabled=false,networkPolicy.enabled=false']);
      expect(result.status).toBe(0);
      expect(parseManifests(result.stdout).map((manifest) => manifest.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Service', 'ServiceAccount']);
    });
  });

  describe('model sync sidecar', () => {
    function sidecar(name: RenderName): SidecarContainer {
      const [container, ...others] = podSpec(name).initContainers ?? [];
      expect(others).toEqual([]);
      return container;
    }

    it('starts first as a native sidecar, and the server only once a verified version is in place (startup probe on /readyz)', () => {
      const sync = sidecar('aks');
      expect(sync).toMatchObject({ name: 'model-sync', restartPolicy: 'Always', image: `acmeml.azurecr.io/skyline/replicator@${DIGEST}`, imagePullPolicy: 'IfNotPresent', args: ['--config', '/etc/skyline/model-sync/config.yaml'] });
      expect(sync.ports).toEqual([{ name: 'model-sync', containerPort: 9464, protocol: 'TCP' }]);
      expect(sync.startupProbe).toEqual({ httpGet: { path: '/readyz', port: 'model-sync' }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 180 });
      expect(sidecar('staging').startupProbe).toMatchObject({ failureThreshold: 360 });
      expectHealthProbes(sync, { port: 'model-sync', readinessPeriodSeconds: 10, livenessPeriodSeconds: 20 });
      expect(sync.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '256Mi' } });
    });

    it.each(['staging', 'aks'] as const)('%s: runs restricted, and is the only writer of the model volume', (name) => {
      expectRestrictedContainerSecurityContext(sidecar(name).securityContext);
      const mountPath = VALUE_SETS[name].volumes.models.mountPath;
      expect(sidecar(name).volumeMounts).toEqual([
        { name: 'model-sync-config', mountPath: '/etc/skyline/model-sync', readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'models', mountPath },
      ]);
      expect(server(name).volumeMounts).toContainEqual({ name: 'models', mountPath, readOnly: true });
    });

    it.each(['staging', 'aks'] as const)('%s: mounts a sync config the replicator itself accepts, reading into the model volume', (name) => {
      const configMap = charts.rendered[name].find((manifest) => manifest.kind === 'ConfigMap' && manifest.metadata.name === 'model-serving-model-sync');
      const file = parse(configMap?.data?.['config.yaml'] ?? '') as unknown;
      expect(file).toEqual(VALUE_SETS[name].modelSync.config);
      const parsed = parseReplicatorConfig(file as ModelServingValues['modelSync']['config']);
      expect(parsed).toMatchObject({ mode: 'sync', directory: VALUE_SETS[name].volumes.models.mountPath, server: { port: 9464 } });
    });

    it('reloads the server by HTTP on its own port (staging) or by a file in the model volume (aks)', () => {
      expect(VALUE_SETS.staging.modelSync.config.signal).toEqual({ kind: 'http', url: 'http://127.0.0.1:8080/admin/reload' });
      expect(VALUE_SETS.aks.modelSync.config.signal).toEqual({ kind: 'file', path: '/models/.reload' });
    });

    it('has the sidecar\'s metrics scraped: a Service port, a ServiceMonitor endpoint', () => {
      expect((only('aks', 'Service').spec.ports as Port[]).map((port) => port.name)).toEqual(['http', 'metrics', 'model-sync']);
      expect(only('aks', 'ServiceMonitor').spec.endpoints).toEqual([
        { port: 'metrics', path: '/metrics', interval: '30s' },
        { port: 'model-sync', path: '/metrics', interval: '30s' },
      ]);
    });

    it('takes the AKS workload identity label on the pods, next to the chart\'s own labels, and the client ID on the service account', () => {
      const labels = (only('aks', 'Deployment').spec.template as { metadata: { labels: Record<string, string> } }).metadata.labels;
      expect(labels).toMatchObject({ 'azure.workload.identity/use': 'true', 'app.kubernetes.io/name': 'model-serving', 'app.kubernetes.io/instance': RELEASE });
      expect(only('aks', 'ServiceAccount').metadata).toMatchObject({ name: 'model-serving', annotations: { 'azure.workload.identity/client-id': '66666666-7777-8888-9999-000000000000' } });
      for (const name of RENDER_NAMES) expect(podSpec(name).serviceAccountName).toBe('model-serving');
    });

    it('rolls the pods when the sync config changes', () => {
      const checksum = (name: RenderName): string | undefined =>
        (only(name, 'Deployment').spec.template as { metadata: { annotations?: Record<string, string> } }).metadata.annotations?.['checksum/model-sync'];
      expect(checksum('aks')).toMatch(/^[a-f0-9]{64}$/);
      expect(checksum('staging')).not.toBe(checksum('aks'));
      expect(checksum('dev')).toBeUndefined();
    });

    it('is absent when not enabled: no init container, no ConfigMap', () => {
      for (const name of ['defaults', 'dev', 'prod'] as const) {
        expect(podSpec(name).initContainers).toBeUndefined();
        expect(charts.rendered[name].filter((manifest) => manifest.kind === 'ConfigMap')).toEqual([]);
      }
    });

    it.each([
      ['modelSync.port=8080', 'modelSync.port (8080) is also the server\'s http.port or metrics.port'],
      ['modelSync.config.directory=/data', 'modelSync.config.directory (/data) is not volumes.models.mountPath (/models)'],
      ['modelSync.config.signal.path=/tmp/reload', 'modelSync.config.signal.path (/tmp/reload) is outside volumes.models.mountPath (/models)'],
      ['modelSync.config.server.port=9999', 'modelSync.config.server.port (9999) differs from modelSync.port (9464)'],
    ])('fails helm template on %s (checks across values)', (set, message) => {
      const file = join(charts.workDir, 'aks.values.yaml');
      writeFileSync(file, stringify(VALUE_SETS.aks));
      const result = helm(['template', RELEASE, ...helmArgs(file), '--set', set]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(message);
    });

    it('refuses a pod label that would override the chart\'s own (schema)', () => {
      const result = helm(['template', RELEASE, ...helmArgs(undefined), '--set', 'podLabels.app\\.kubernetes\\.io/instance=other']);
      expect(result.status).not.toBe(0);
      // helm's validator names the wrong path for propertyNames failures: the message is what identifies it.
      expect(result.stderr).toContain("invalid propertyName 'app.kubernetes.io/instance'");
    });

    it('refuses, at synth, a sidecar config the replicator would refuse, a signal outside the volume and a port clash', () => {
      const props = { ...AKS_PROPS, modelSync: { ...AKS_PROPS.modelSync, port: 8080, config: { ...AKS_PROPS.modelSync.config, model: 'a/b', signal: { kind: 'file' as const, path: '/tmp/reload' } } } };
      expect(() => modelServingValues(props)).toThrow(
        /Invalid model-serving props \(3 problems\):\n {2}- modelSync\.port is 8080: .*\n {2}- modelSync\.config\.signal\.path is "\/tmp\/reload": must lie in the model volume \(\/models\/\.\.\.\).*\n {2}- modelSync\.config\.model is "a\/b": must be a model name/,
      );
    });
  });

  it('passes the stack environment to the server', () => {
    expect(server('staging').env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'MODEL_DIR', value: '/var/lib/models' },
    ]);
    expect(server('dev').env).toBeUndefined();
  });
});
