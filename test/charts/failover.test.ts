/**
 * The failover chart, rendered by the real helm for the chart's defaults and three value sets built by
 * failoverValues (EKS with IRSA, GKE and AKS with a projected STS token); the output is checked by helm lint,
 * kubernetes-validate (Kubernetes 1.33 schemas), the CRD schemas (ServiceMonitor), checkov, and targeted
 * assertions on the parsed manifests. The rendered config file must load in the controller itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ENVOY_PROXY_LABELS } from '../../constructs/workloads/cluster-baseline';
import { FAILOVER_CHART_DIR, failoverValues, type FailoverProps, type FailoverValues } from '../../constructs/workloads/failover-values';
import { NAMESPACES } from '../../constructs/workloads/namespaces';
import { parseFailoverConfig } from '../../services/failover/src/config';
import { expectCheckovPodChecksPassed, expectHealthProbes, expectNoCheckovFailure, expectRestrictedContainerSecurityContext, expectRestrictedPodSecurityContext } from '../helpers/chart-assertions';
import { isCustomResource, validateCustomResources } from '../helpers/crd-validation';
import { checkovKubernetes, KUBERNETES_VERSION, parseManifests, renderChart, run, type ChartRenders, type CheckovReport, type Run } from '../helpers/charts';
import { toolPath } from '../helpers/tools';

const RELEASE = 'failover';
const NAMESPACE = NAMESPACES.system.name;
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

function config(observer: string, env: string, domain: string): FailoverProps['config'] {
  const regions = [
    { name: 'us-west-2', cloud: 'aws' as const, address: '192.0.2.10' },
    { name: 'europe-west1', cloud: 'gcp' as const, address: '198.51.100.10' },
    { name: 'centralindia', cloud: 'azure' as const, address: '203.0.113.10' },
  ];
  return {
    instance: { name: 'failover', region: observer },
    env,
    domain,
    regions,
    peers: regions.filter((region) => region.name !== observer).map((region) => ({ region: region.name, url: `https://failover.${region.name}.api.${domain}` })),
    dns: { kind: 'route53', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
    alerts: { kind: 'alertmanager', url: 'http://alertmanager-operated.monitoring:9093' },
  };
}

const VALUE_SETS = {
  /** EKS: IRSA through the service-account annotation, by tag. */
  dev: failoverValues({
    imageRepository: 'ghcr.io/acme/skyline-failover',
    imageTag: '0.1.0',
    config: config('us-west-2', 'dev', 'dev.ml.example.com'),
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/dev-failover' },
  }),
  /** GKE: a projected STS token, the peers' token from a Secret. */
  staging: failoverValues({
    imageRepository: 'europe-west1-docker.pkg.dev/acme-ml/skyline/failover',
    imageTag: '0.1.0',
    config: config('europe-west1', 'staging', 'staging.ml.example.com'),
    awsRoleArn: 'arn:aws:iam::222222222222:role/staging-failover',
    peerTokenSecret: { name: 'failover-peer-token', key: 'token' },
    serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': 'failover@acme-ml.iam.gserviceaccount.com' },
  }),
  /** AKS: by digest, a projected STS token, Alertmanager elsewhere, three replicas. */
  prod: failoverValues({
    imageRepository: 'acmeml.azurecr.io/skyline/failover',
    imageDigest: DIGEST,
    replicas: 3,
    config: config('centralindia', 'prod', 'ml.example.com'),
    awsRoleArn: 'arn:aws:iam::333333333333:role/prod-failover',
    peerTokenSecret: { name: 'failover-peer-token', key: 'token' },
    alertmanagerNamespace: 'observability',
    alertmanagerPort: 9094,
    cpuMillicores: 200,
    memoryMiB: 256,
    observationsRoute: { hostname: 'centralindia.control.ml.example.com', gatewayParentRef: { name: 'regional', namespace: 'envoy-gateway-system', sectionName: 'https' } },
  }),
} satisfies Record<string, FailoverValues>;

type SetName = keyof typeof VALUE_SETS;
type RenderName = SetName | 'defaults';
const SET_NAMES = Object.keys(VALUE_SETS) as SetName[];
const RENDER_NAMES: RenderName[] = ['defaults', ...SET_NAMES];

interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly automountServiceAccountToken?: boolean;
  readonly data?: Record<string, string>;
  readonly rules?: unknown[];
  readonly roleRef?: unknown;
  readonly subjects?: unknown[];
  readonly spec: Record<string, unknown>;
}
interface Volume {
  readonly name: string;
  readonly configMap?: { readonly name: string };
  readonly projected?: { readonly sources: Record<string, unknown>[] };
}
interface Container {
  readonly image: string;
  readonly args: string[];
  readonly env: { readonly name: string; readonly value?: string; readonly valueFrom?: unknown }[];
  readonly ports: { readonly name: string; readonly containerPort: number }[];
  readonly readinessProbe: unknown;
  readonly livenessProbe: unknown;
  readonly securityContext: unknown;
  readonly volumeMounts: { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }[];
}
interface PodSpec {
  readonly serviceAccountName: string;
  readonly automountServiceAccountToken: boolean;
  readonly securityContext: unknown;
  readonly nodeSelector: Record<string, string>;
  readonly containers: Container[];
  readonly volumes: Volume[];
}
function helm(args: string[]): Run {
  return run(toolPath('helm'), args);
}

function helmArgs(valuesFile: string | undefined): string[] {
  return [FAILOVER_CHART_DIR, '--namespace', NAMESPACE, '--kube-version', KUBERNETES_VERSION, ...(valuesFile ? ['--values', valuesFile] : [])];
}

let charts: ChartRenders<Manifest>;

function only(name: RenderName, kind: string): Manifest {
  const matches = charts.rendered[name].filter((manifest) => manifest.kind === kind);
  if (matches.length !== 1) throw new Error(`${name}: expected exactly one ${kind}, found ${matches.length}`);
  return matches[0];
}

function podSpec(name: RenderName): PodSpec {
  return (only(name, 'Deployment').spec.template as { spec: PodSpec }).spec;
}

function controller(name: RenderName): Container {
  return podSpec(name).containers[0];
}

beforeAll(() => {
  const valueSets: Record<string, object | undefined> = { defaults: undefined, ...VALUE_SETS };
  charts = renderChart<Manifest>({ chartDir: FAILOVER_CHART_DIR, release: RELEASE, namespace: NAMESPACE, valueSets });
}, 60_000);

afterAll(() => charts?.cleanUp());

describe('failover chart', () => {
  describe.each(RENDER_NAMES)('%s values', (name) => {
    it('passes helm lint --strict', () => {
      expect(charts.lint[name].stdout + charts.lint[name].stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
      expect(charts.lint[name].status).toBe(0);
    });

    it('renders every object in the release namespace', () => {
      // Only a release that publishes its observations has the HTTPRoute.
      const route = name === 'prod' ? ['HTTPRoute'] : [];
      expect(charts.rendered[name].map((manifest) => manifest.kind).sort()).toEqual(
        ['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'ServiceMonitor', ...route].sort(),
      );
      for (const manifest of charts.rendered[name]) expect(manifest.metadata.namespace).toBe(NAMESPACE);
    });

    it('mounts a config file the controller itself accepts, the one of the values', () => {
      const file = only(name, 'ConfigMap').data?.['config.yaml'] ?? '';
      const values = name === 'defaults' ? (parse(readFileSync(join(FAILOVER_CHART_DIR, 'values.yaml'), 'utf8')) as FailoverValues) : VALUE_SETS[name];
      expect(parse(file)).toEqual(values.config);
      expect(() => parseFailoverConfig(parse(file))).not.toThrow();
      expect(controller(name).args).toEqual(['--config', '/etc/skyline/failover/config.yaml']);
      expect(controller(name).volumeMounts[0]).toEqual({ name: 'config', mountPath: '/etc/skyline/failover', readOnly: true });
    });
  });

  it('maps every value the chart defines, and no other (the TS side mirrors values.yaml)', () => {
    const defaults = parse(readFileSync(join(FAILOVER_CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    // Free-form maps hold whatever the stack sets: compare the keys above them.
    const freeFormMaps = ['config', 'serviceAccount.annotations', 'networkPolicy.gatewayPodLabels'];
    const keyPaths = (value: unknown, prefix = ''): string[] =>
      value !== null && typeof value === 'object' && !Array.isArray(value) && !freeFormMaps.includes(prefix)
        ? Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key))
        : [prefix];
    for (const name of SET_NAMES) expect(keyPaths(VALUE_SETS[name]).sort()).toEqual(keyPaths(defaults).sort());
  });

  describe('values checks', () => {
    it.each([
      ['a misspelt key', { replica: 2 }, "additional properties 'replica' not allowed"],
      ['root', { securityContext: { runAsUser: 0, runAsGroup: 0 } }, "at '/securityContext/runAsUser'"],
      ['web identity without a role', { awsWebIdentity: { ...VALUE_SETS.dev.awsWebIdentity, enabled: true } }, "at '/awsWebIdentity/roleArn'"],
      ['a config without regions', { config: { ...VALUE_SETS.dev.config, regions: [] } }, "at '/config/regions'"],
    ])('fails helm template on %s (schema)', (_label, override, message) => {
      const file = join(charts.workDir, 'invalid.values.yaml');
      writeFileSync(file, stringify({ ...VALUE_SETS.dev, ...override }));
      const result = helm(['template', RELEASE, ...helmArgs(file)]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain("values don't meet the specifications of the schema");
      expect(result.stderr).toContain(message);
    });

    it.each([
      ['http.port=9999', 'config.server.port (9464) differs from http.port (9999)'],
      ['leaderElection.leaseName=other', 'config.leaderElection.leaseName (skyline-failover) differs from leaderElection.leaseName (other)'],
      ['config.leaderElection.kind=single', 'leaderElection.enabled is true but config.leaderElection.kind is "single"'],
      ['leaderElection.enabled=false', 'replicas is 2 without leader election'],
    ])('fails helm template on %s (checks across values)', (set, message) => {
      const result = helm(['template', RELEASE, ...helmArgs(undefined), '--set', set]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(message);
    });

    it('refuses a controller config the controller would refuse, at synth', () => {
      expect(() => failoverValues({ imageRepository: 'ghcr.io/acme/skyline-failover', imageTag: 'latest', config: { ...config('us-west-2', 'dev', 'ml.example.com'), detection: { quorum: 5 } } })).toThrow(
        /Invalid failover props \(2 problems\):\n {2}- imageTag is "latest": must be a fixed release tag.*\n {2}- config\.detection\.quorum is 5: is more than the 3 observers/,
      );
    });
  });

  describe('kubernetes-validate against Kubernetes 1.33 (strict), and the CRD schemas', () => {
    let output: string[];
    const negativeControl = (): string => join(charts.workDir, 'negative-control.yaml');

    beforeAll(() => {
      const deployment = only('dev', 'Deployment');
      writeFileSync(negativeControl(), stringify({ ...deployment, spec: { ...deployment.spec, replica: 2 } }));
      const files = [...RENDER_NAMES.map((name) => charts.builtinFile(name)), negativeControl()];
      const result = run(toolPath('kubernetesValidate'), ['--strict', '--kubernetes-version', KUBERNETES_VERSION, ...files]);
      output = result.stdout.split('\n').filter((line) => line.trim() !== '');
    }, 60_000);

    it.each(RENDER_NAMES)('passes every built-in object of the %s render, and nothing else is said about it', (name) => {
      const file = charts.builtinFile(name);
      const lines = output.filter((line) => line.includes(` ${file} `));
      const expected = charts.rendered[name]
        .filter((manifest) => !isCustomResource(manifest))
        .map((manifest) => `INFO ${file} passed for resource ${manifest.kind.toLowerCase()}/${manifest.metadata.name} against version 1.33`);
      expect(lines.sort()).toEqual(expected.sort());
    });

    it('rejects the negative control, so a pass above means something', () => {
      expect(output.filter((line) => line.includes(negativeControl()))).toEqual([expect.stringMatching(/^ERROR .* did not validate for resource deployment\/failover against version 1\.33: spec: .*'replica'/)]);
    });

    it.each(RENDER_NAMES)('validates the %s custom resources (ServiceMonitor, HTTPRoute) against their CRDs', (name) => {
      const custom = charts.rendered[name].filter((manifest) => isCustomResource(manifest));
      expect(custom.map((manifest) => manifest.kind).sort()).toEqual(name === 'prod' ? ['HTTPRoute', 'ServiceMonitor'] : ['ServiceMonitor']);
      expect(validateCustomResources(custom)).toEqual([]);
    });

    it('publishes GET /observations only, on the control name, through the gateway HTTPS listener', () => {
      const route = only('prod', 'HTTPRoute');
      expect(route.spec).toEqual({
        parentRefs: [{ name: 'regional', namespace: 'envoy-gateway-system', sectionName: 'https' }],
        hostnames: ['centralindia.control.ml.example.com'],
        rules: [{ matches: [{ method: 'GET', path: { type: 'Exact', value: '/observations' } }], backendRefs: [{ name: 'failover', port: 9464 }] }],
      });
    });
  });

  describe('checkov', () => {
    let report: CheckovReport;

    beforeAll(() => {
      report = checkovKubernetes(charts.renderedDir, join(FAILOVER_CHART_DIR, '.checkov.yaml'));
    }, 120_000);

    it('finds no unsuppressed failure in any render', () => {
      expectNoCheckovFailure(report);
    });

    it.each(RENDER_NAMES)('ran the pod-security checks on the %s Deployment, and found its pods covered by a NetworkPolicy', (name) => {
      expectCheckovPodChecksPassed(report, { renderName: name, namespace: NAMESPACE, release: RELEASE });
    });
  });

  describe('security', () => {
    it.each(RENDER_NAMES)('%s: runs as a numeric non-root user, read-only root, nothing to escalate to', (name) => {
      expectRestrictedPodSecurityContext(podSpec(name).securityContext);
      expectRestrictedContainerSecurityContext(controller(name).securityContext);
    });

    it.each(RENDER_NAMES)('%s: no automatic token; the Kubernetes API credentials are projected for the Lease only', (name) => {
      expect(podSpec(name).automountServiceAccountToken).toBe(false);
      expect(only(name, 'ServiceAccount').automountServiceAccountToken).toBe(false);
      const kubeApi = podSpec(name).volumes.find((volume) => volume.name === 'kube-api-access');
      expect(kubeApi?.projected?.sources.map((source) => Object.keys(source)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
      expect(controller(name).volumeMounts).toContainEqual({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
    });

    it('grants the Lease of the election and nothing else, to the service account the cloud identities trust', () => {
      const role = only('prod', 'Role');
      expect(role.rules).toEqual([
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['skyline-failover'], verbs: ['get', 'update'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      ]);
      const binding = only('prod', 'RoleBinding');
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'failover', namespace: NAMESPACE }]);
      expect(only('prod', 'ServiceAccount').metadata.name).toBe('failover');
      expect(podSpec('prod').serviceAccountName).toBe('failover');
    });

    it('uses IRSA on EKS: the annotation, no projected STS token', () => {
      expect(only('dev', 'ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/dev-failover' });
      expect(podSpec('dev').volumes.map((volume) => volume.name)).toEqual(['config', 'kube-api-access']);
      expect(controller('dev').env.map((variable) => variable.name)).toEqual(['POD_NAME']);
    });

    it.each(['staging', 'prod'] as const)('%s (no EKS webhook): mounts a token with the STS audience and points the AWS SDK at it', (name) => {
      const arn = VALUE_SETS[name].awsWebIdentity.roleArn;
      expect(podSpec(name).volumes).toContainEqual({
        name: 'aws-web-identity',
        projected: { defaultMode: 0o444, sources: [{ serviceAccountToken: { path: 'token', audience: 'sts.amazonaws.com', expirationSeconds: 3600 } }] },
      });
      expect(controller(name).volumeMounts).toContainEqual({ name: 'aws-web-identity', mountPath: '/var/run/secrets/sts.amazonaws.com/serviceaccount', readOnly: true });
      expect(controller(name).env).toEqual([
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'SKYLINE_FAILOVER_PEER_TOKEN', valueFrom: { secretKeyRef: { name: 'failover-peer-token', key: 'token' } } },
        { name: 'AWS_ROLE_ARN', value: arn },
        { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/sts.amazonaws.com/serviceaccount/token' },
        { name: 'AWS_ROLE_SESSION_NAME', value: 'skyline-failover' },
      ]);
    });

    it('pulls prod by digest, the others by tag', () => {
      expect(controller('prod').image).toBe(`acmeml.azurecr.io/skyline/failover@${DIGEST}`);
      expect(controller('dev').image).toBe('ghcr.io/acme/skyline-failover:0.1.0');
    });
  });

  describe('availability', () => {
    it('runs 2 replicas (3 in prod) on the system pool, spread over zones, one always available', () => {
      expect(only('dev', 'Deployment').spec.replicas).toBe(2);
      expect(only('prod', 'Deployment').spec.replicas).toBe(3);
      expect(podSpec('dev').nodeSelector).toEqual({ 'skyline.io/pool-role': 'system' });
      expect(only('dev', 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    });

    it('is ready on /readyz and alive on /healthz, on the HTTP port', () => {
      expectHealthProbes(controller('dev'), { port: 'http', readinessPeriodSeconds: 5, livenessPeriodSeconds: 10 });
      expect(controller('dev').ports).toEqual([{ name: 'http', containerPort: 9464, protocol: 'TCP' }]);
    });

    it('rolls the pods when the config changes', () => {
      const annotation = (name: RenderName): string | undefined => (only(name, 'Deployment').spec.template as { metadata: { annotations: Record<string, string> } }).metadata.annotations['checksum/config'];
      expect(annotation('dev')).toMatch(/^[a-f0-9]{64}$/);
      expect(annotation('dev')).not.toBe(annotation('staging'));
    });
  });

  describe('network and monitoring', () => {
    it('admits Prometheus and the gateway proxies (peers) to the HTTP port, and lets alerts out to Alertmanager', () => {
      expect(only('prod', 'NetworkPolicy').spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'failover', 'app.kubernetes.io/instance': RELEASE } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NAMESPACES.monitoring.name } } },
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NAMESPACES.gateway.name } }, podSelector: { matchLabels: ENVOY_PROXY_LABELS } },
            ],
            ports: [{ protocol: 'TCP', port: 9464 }],
          },
        ],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }], ports: [{ protocol: 'TCP', port: 9094 }] }],
      });
    });

    it('lets Prometheus find the service by label and scrape /metrics on the HTTP port', () => {
      const monitor = only('dev', 'ServiceMonitor');
      const service = only('dev', 'Service');
      expect(monitor.metadata.labels?.['skyline.io/monitor']).toBe('true');
      expect(service.metadata.labels).toMatchObject((monitor.spec.selector as { matchLabels: Record<string, string> }).matchLabels);
      expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    });

    it('drops the ServiceMonitor, PodDisruptionBudget and NetworkPolicy when switched off', () => {
      const result = helm(['template', RELEASE, ...helmArgs(undefined), '--set', 'serviceMonitor.enabled=false,podDisruptionBudget.enabled=false,networkPolicy.enabled=false']);
      expect(result.status).toBe(0);
      expect(parseManifests(result.stdout).map((manifest) => manifest.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
    });
  });
});
