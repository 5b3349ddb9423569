/**
 * The cost-analyzer chart, rendered by the real helm for the chart's defaults and three value sets built by
 * costAnalyzerValues (all three exports from EKS: IRSA, Workload Identity Federation, an Azure federated credential;
 * AWS only; prod by digest); the output is checked by helm lint, kubernetes-validate (Kubernetes 1.33 schemas), the
 * ServiceMonitor CRD schema, checkov, and targeted assertions on the parsed manifests. The rendered config file must
 * load in the analyzer itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { billingExportSources, COST_ANALYZER_CHART_DIR, costAnalyzerValues, type CostAnalyzerProps, type CostAnalyzerValues } from '../../../constructs/workloads/cost-analyzer-values';
import { NAMESPACES } from '../../../constructs/workloads/namespaces';
import { parseCostAnalyzerConfig } from '../../../services/cost-analyzer/src/config';
import { isCustomResource, validateCustomResources } from '../../helpers/crd-validation';
import { expectCheckovPodChecksPassed, expectHealthProbes, expectNoCheckovFailure, expectRestrictedContainerSecurityContext, expectRestrictedPodSecurityContext } from '../../helpers/chart-assertions';
import { checkovKubernetes, kubernetesValidate, KUBERNETES_VERSION, parseManifests, renderChart, run, validatedLine, type ChartRenders, type CheckovReport } from '../../helpers/charts';
import { toolPath } from '../../helpers/tools';

const RELEASE = 'cost-analyzer';
const NAMESPACE = NAMESPACES.system.name;
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const AUDIENCE = '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/skyline-dev-eks/providers/kubernetes';
const GOOGLE_SERVICE_ACCOUNT = 'skyline-dev-cost-analyzer@skyline-dev.iam.gserviceaccount.com';
const AZURE_CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const AZURE_TENANT_ID = '00000000-0000-0000-0000-000000000000';

const ALL_EXPORTS = billingExportSources({
  aws: { bucket: 'skyline-dev-cost-exports-usw2', prefix: 'focus/skyline-dev-focus/data/', region: 'us-west-2' },
  gcp: { project: 'skyline-dev', dataset: 'skyline_dev_billing', table: 'gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9', location: 'EU' },
  azure: { accountUrl: 'https://skylinedevcostexports.blob.core.windows.net', container: 'cost-exports', prefix: 'exports/skylinedevamortizedcost/', costType: 'AmortizedCost' },
});

const BUDGETS: CostAnalyzerProps['config']['budgets'] = [
  { provider: 'aws', amount: 1000, currency: 'USD' },
  { provider: 'gcp', amount: 800, currency: 'EUR' },
  { provider: 'azure', amount: 800, currency: 'USD' },
];

const VALUE_SETS = {
  /** EKS reading all three exports: IRSA, WIF to BigQuery, a federated credential to Azure Blob; by tag. */
  dev: costAnalyzerValues({
    imageRepository: 'ghcr.io/acme/skyline-cost-analyzer',
    imageTag: '0.1.0',
    config: { sources: ALL_EXPORTS, budgets: BUDGETS },
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/skyline-dev-cost-analyzer' },
    gcpWorkloadIdentity: { audience: AUDIENCE, serviceAccountEmail: GOOGLE_SERVICE_ACCOUNT },
    azureWorkloadIdentity: { clientId: AZURE_CLIENT_ID, tenantId: AZURE_TENANT_ID },
  }),
  /** AWS only: no Google or Azure credentials at all. */
  awsOnly: costAnalyzerValues({
    imageRepository: 'ghcr.io/acme/skyline-cost-analyzer',
    imageTag: '0.1.0',
    config: { sources: ALL_EXPORTS.filter((source) => source.provider === 'aws'), budgets: [BUDGETS[0]] },
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::222222222222:role/skyline-staging-cost-analyzer' },
  }),
  /** By digest, two replicas, more memory, an hourly refresh. */
  prod: costAnalyzerValues({
    imageRepository: 'ghcr.io/acme/skyline-cost-analyzer',
    imageDigest: DIGEST,
    replicas: 2,
    memoryMiB: 2048,
    cpuMillicores: 250,
    config: { sources: ALL_EXPORTS, budgets: BUDGETS, refreshIntervalSeconds: 3600, historyMonths: 6 },
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::333333333333:role/skyline-prod-cost-analyzer' },
    gcpWorkloadIdentity: { audience: AUDIENCE, serviceAccountEmail: GOOGLE_SERVICE_ACCOUNT },
    azureWorkloadIdentity: { clientId: AZURE_CLIENT_ID, tenantId: AZURE_TENANT_ID },
  }),
} satisfies Record<string, CostAnalyzerValues>;

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
  readonly spec: Record<string, unknown>;
}
interface Volume {
  readonly name: string;
  readonly configMap?: { readonly name: string; readonly items: { key: string; path: string }[] };
  readonly emptyDir?: { readonly sizeLimit: string };
  readonly projected?: { readonly defaultMode: number; readonly sources: { serviceAccountToken: { path: string; audience: string; expirationSeconds: number } }[] };
}
interface Container {
  readonly image: string;
  readonly args: string[];
  readonly env: { readonly name: string; readonly value: string }[];
  readonly ports: { readonly name: string; readonly containerPort: number }[];
  readonly readinessProbe: unknown;
  readonly livenessProbe: unknown;
  readonly resources: unknown;
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

let charts: ChartRenders<Manifest>;

function only(name: RenderName, kind: string): Manifest {
  const matches = charts.rendered[name].filter((manifest) => manifest.kind === kind);
  if (matches.length !== 1) throw new Error(`${name}: expected exactly one ${kind}, found ${matches.length}`);
  return matches[0];
}

function podSpec(name: RenderName): PodSpec {
  return (only(name, 'Deployment').spec.template as { spec: PodSpec }).spec;
}

function analyzer(name: RenderName): Container {
  return podSpec(name).containers[0];
}

function envOf(name: RenderName): Record<string, string> {
  return Object.fromEntries(analyzer(name).env.map((variable) => [variable.name, variable.value]));
}

function volume(name: RenderName, volumeName: string): Volume | undefined {
  return podSpec(name).volumes.find((candidate) => candidate.name === volumeName);
}

function helmTemplate(args: string[]) {
  return run(toolPath('helm'), ['template', RELEASE, COST_ANALYZER_CHART_DIR, '--namespace', NAMESPACE, '--kube-version', KUBERNETES_VERSION, ...args]);
}

beforeAll(() => {
  charts = renderChart<Manifest>({ chartDir: COST_ANALYZER_CHART_DIR, release: RELEASE, namespace: NAMESPACE, valueSets: { defaults: undefined, ...VALUE_SETS } });
}, 60_000);

afterAll(() => charts?.cleanUp());

describe('cost-analyzer chart', () => {
  describe.each(RENDER_NAMES)('%s values', (name) => {
    it('passes helm lint --strict', () => {
      expect(charts.lint[name].stdout + charts.lint[name].stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
      expect(charts.lint[name].status).toBe(0);
    });

    it('renders every object in the release namespace', () => {
      expect(charts.rendered[name].map((manifest) => manifest.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceMonitor']);
      for (const manifest of charts.rendered[name]) expect(manifest.metadata.namespace).toBe(NAMESPACE);
    });

    it('mounts a config file the analyzer itself accepts, the one of the values, on the chart\'s port', () => {
      const file = only(name, 'ConfigMap').data?.['config.yaml'] ?? '';
      const values = name === 'defaults' ? (parse(readFileSync(join(COST_ANALYZER_CHART_DIR, 'values.yaml'), 'utf8')) as CostAnalyzerValues) : VALUE_SETS[name];
      expect(parse(file)).toEqual(values.config);
      expect(parseCostAnalyzerConfig(parse(file)).server.port).toBe(values.http.port);
      expect(analyzer(name).args).toEqual(['--config', '/etc/skyline/cost-analyzer/config.yaml']);
      expect(analyzer(name).volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/skyline/cost-analyzer', readOnly: true });
    });

    it('runs as a numeric non-root user on a read-only root, with a bounded /tmp and nothing to escalate to', () => {
      expectRestrictedPodSecurityContext(podSpec(name).securityContext);
      expectRestrictedContainerSecurityContext(analyzer(name).securityContext);
      expect(volume(name, 'tmp')).toEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
      expect(analyzer(name).volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    });

    it('gets no Kubernetes API token, and runs as the service account the cloud identities trust', () => {
      expect(podSpec(name).automountServiceAccountToken).toBe(false);
      expect(only(name, 'ServiceAccount')).toMatchObject({ metadata: { name: 'cost-analyzer' }, automountServiceAccountToken: false });
      expect(podSpec(name).serviceAccountName).toBe('cost-analyzer');
    });
  });

  it('maps every value the chart defines, and no other (the TS side mirrors values.yaml)', () => {
    const defaults = parse(readFileSync(join(COST_ANALYZER_CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    // Free-form maps hold whatever the stack sets: compare the keys above them.
    const freeFormMaps = ['config', 'serviceAccount.annotations'];
    const keyPaths = (value: unknown, prefix = ''): string[] =>
      value !== null && typeof value === 'object' && !Array.isArray(value) && !freeFormMaps.includes(prefix)
        ? Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key))
        : [prefix];
    for (const name of SET_NAMES) expect(keyPaths(VALUE_SETS[name]).sort()).toEqual(keyPaths(defaults).sort());
  });

  describe('identities, from EKS to the three clouds', () => {
    it('uses IRSA for S3: the service-account annotation the EKS webhook acts on', () => {
      expect(only('dev', 'ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/skyline-dev-cost-analyzer' });
    });

    it('reaches BigQuery through Workload Identity Federation: a Google credential configuration and a token for the pool provider', () => {
      const credentials = JSON.parse(only('dev', 'ConfigMap').data?.['gcp-credential-config.json'] ?? '{}') as Record<string, unknown>;
      expect(credentials).toEqual({
        type: 'external_account',
        audience: AUDIENCE,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: 'https://sts.googleapis.com/v1/token',
        service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${GOOGLE_SERVICE_ACCOUNT}:generateAccessToken`,
        credential_source: { file: '/var/run/secrets/gcp/serviceaccount/token', format: { type: 'text' } },
      });
      expect(volume('dev', 'gcp-token')?.projected).toEqual({ defaultMode: 0o444, sources: [{ serviceAccountToken: { path: 'token', audience: AUDIENCE, expirationSeconds: 3600 } }] });
      expect(analyzer('dev').volumeMounts).toEqual(
        expect.arrayContaining([
          { name: 'gcp-token', mountPath: '/var/run/secrets/gcp/serviceaccount', readOnly: true },
          { name: 'gcp-credentials', mountPath: '/etc/skyline/gcp', readOnly: true },
        ]),
      );
      expect(volume('dev', 'gcp-credentials')?.configMap?.items).toEqual([{ key: 'gcp-credential-config.json', path: 'gcp-credential-config.json' }]);
      expect(envOf('dev').GOOGLE_APPLICATION_CREDENTIALS).toBe('/etc/skyline/gcp/gcp-credential-config.json');
    });

    it('reaches Azure Blob through a federated credential: the environment DefaultAzureCredential reads, a token for Entra\'s exchange', () => {
      expect(envOf('dev')).toMatchObject({
        AZURE_CLIENT_ID: AZURE_CLIENT_ID,
        AZURE_TENANT_ID: AZURE_TENANT_ID,
        AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/token',
        AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/',
      });
      expect(volume('dev', 'azure-token')?.projected?.sources).toEqual([{ serviceAccountToken: { path: 'token', audience: 'api://AzureADTokenExchange', expirationSeconds: 3600 } }]);
      expect(analyzer('dev').volumeMounts).toContainEqual({ name: 'azure-token', mountPath: '/var/run/secrets/azure/tokens', readOnly: true });
    });

    it('carries no Google or Azure credentials where it reads no Google or Azure export', () => {
      expect(podSpec('awsOnly').volumes.map((candidate) => candidate.name)).toEqual(['config', 'tmp']);
      expect(Object.keys(envOf('awsOnly'))).toEqual(['TMPDIR']);
      expect(only('awsOnly', 'ConfigMap').data).not.toHaveProperty('gcp-credential-config.json');
    });
  });

  describe('availability, resources and monitoring', () => {
    it('pulls prod by digest with two replicas and more memory, the others by tag', () => {
      expect(analyzer('prod').image).toBe(`ghcr.io/acme/skyline-cost-analyzer@${DIGEST}`);
      expect(analyzer('dev').image).toBe('ghcr.io/acme/skyline-cost-analyzer:0.1.0');
      expect(only('prod', 'Deployment').spec.replicas).toBe(2);
      expect(only('dev', 'Deployment').spec.replicas).toBe(1);
      expect(analyzer('prod').resources).toEqual({ requests: { cpu: '250m', memory: '2048Mi' }, limits: { cpu: '1000m', memory: '2048Mi' } });
    });

    it('runs on the system pool, lets drains take one pod at a time, and never blocks them on an unready pod', () => {
      expect(podSpec('dev').nodeSelector).toEqual({ 'skyline.io/pool-role': 'system' });
      expect(only('dev', 'PodDisruptionBudget').spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'cost-analyzer', 'app.kubernetes.io/instance': RELEASE } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
    });

    it('is ready on /readyz and alive on /healthz, on the HTTP port', () => {
      expectHealthProbes(analyzer('dev'), { port: 'http', readinessPeriodSeconds: 10, livenessPeriodSeconds: 10 });
      expect(analyzer('dev').ports).toEqual([{ name: 'http', containerPort: 9464, protocol: 'TCP' }]);
    });

    it('rolls the pods when the config changes', () => {
      const checksum = (name: RenderName) => (only(name, 'Deployment').spec.template as { metadata: { annotations: Record<string, string> } }).metadata.annotations['checksum/config'];
      expect(checksum('dev')).toMatch(/^[a-f0-9]{64}$/);
      expect(checksum('dev')).not.toBe(checksum('awsOnly'));
    });

    it('admits Prometheus alone, to the HTTP port', () => {
      expect(only('dev', 'NetworkPolicy').spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cost-analyzer', 'app.kubernetes.io/instance': RELEASE } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NAMESPACES.monitoring.name } } }], ports: [{ protocol: 'TCP', port: 9464 }] }],
      });
    });

    it('lets Prometheus find the service by label and scrape /metrics on the HTTP port', () => {
      const monitor = only('dev', 'ServiceMonitor');
      expect(monitor.metadata.labels?.['skyline.io/monitor']).toBe('true');
      expect(only('dev', 'Service').metadata.labels).toMatchObject((monitor.spec.selector as { matchLabels: Record<string, string> }).matchLabels);
      // honorLabels: the cost metrics' `service` label (the billed cloud service) must not become `exported_service`.
      expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '60s', honorLabels: true }]);
    });

    it('drops the ServiceMonitor, PodDisruptionBudget and NetworkPolicy when switched off', () => {
      const result = helmTemplate(['--set', 'serviceMonitor.enabled=false,podDisruptionBudget.enabled=false,networkPolicy.enabled=false']);
      expect(result.status).toBe(0);
      expect(parseManifests(result.stdout).map((manifest) => manifest.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Service', 'ServiceAccount']);
    });
  });

  describe('values checks', () => {
    it.each([
      ['a misspelt key', { replica: 2 }, "additional properties 'replica' not allowed"],
      ['root', { securityContext: { runAsUser: 0, runAsGroup: 0 } }, "at '/securityContext/runAsUser'"],
      ['federation without an audience', { gcpWorkloadIdentity: { ...VALUE_SETS.awsOnly.gcpWorkloadIdentity, enabled: true, serviceAccountEmail: GOOGLE_SERVICE_ACCOUNT } }, "at '/gcpWorkloadIdentity/audience'"],
      ['a config without sources', { config: { ...VALUE_SETS.dev.config, sources: [] } }, "at '/config/sources'"],
    ])('fails helm template on %s (schema)', (_label, override, message) => {
      const file = join(charts.workDir, 'invalid.values.yaml');
      writeFileSync(file, stringify({ ...VALUE_SETS.dev, ...override }));
      const result = helmTemplate(['--values', file]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain("values don't meet the specifications of the schema");
      expect(result.stderr).toContain(message);
    });

    it.each([
      [['--set', 'http.port=9999'], 'config.server.port (9464) differs from http.port (9999)'],
      [['--values', 'DEV', '--set', 'gcpWorkloadIdentity.enabled=false'], 'config.sources[1] reads BigQuery but gcpWorkloadIdentity.enabled is false'],
      [['--values', 'DEV', '--set', 'azureWorkloadIdentity.enabled=false'], 'config.sources[2] reads Azure Blob but azureWorkloadIdentity.enabled is false'],
    ])('fails helm template on %j (checks across values)', (args, message) => {
      const result = helmTemplate(args.map((arg) => (arg === 'DEV' ? join(charts.workDir, 'dev.values.yaml') : arg)));
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(message);
    });

    it('refuses, at synth, props and a config the analyzer would refuse, all at once', () => {
      expect(() =>
        costAnalyzerValues({
          imageRepository: 'ghcr.io/acme/skyline-cost-analyzer',
          imageTag: 'latest',
          config: { sources: ALL_EXPORTS, budgets: [{ provider: 'aws', amount: 1000, currency: 'dollars' }] },
          azureWorkloadIdentity: { clientId: 'not-a-uuid', tenantId: AZURE_TENANT_ID },
        }),
      ).toThrow(
        /Invalid cost-analyzer props \(4 problems\):\n {2}- imageTag is "latest": must be a fixed release tag.*\n {2}- azureWorkloadIdentity\.clientId is "not-a-uuid": must be a lowercase UUID\n {2}- config\.sources reads BigQuery but gcpWorkloadIdentity is unset.*\n {2}- config\.budgets\[0\]\.currency is "dollars": must be an ISO 4217 currency code/,
      );
    });
  });

  describe('kubernetes-validate against Kubernetes 1.33 (strict), and the CRD schemas', () => {
    let output: string[];
    const negativeControl = (): string => join(charts.workDir, 'negative-control.yaml');

    beforeAll(() => {
      const deployment = only('dev', 'Deployment');
      writeFileSync(negativeControl(), stringify({ ...deployment, spec: { ...deployment.spec, replica: 2 } }));
      output = kubernetesValidate([...RENDER_NAMES.map((name) => charts.builtinFile(name)), negativeControl()]);
    }, 60_000);

    it.each(RENDER_NAMES)('passes every built-in object of the %s render, and nothing else is said about it', (name) => {
      const file = charts.builtinFile(name);
      const expected = charts.rendered[name].filter((manifest) => !isCustomResource(manifest)).map((manifest) => validatedLine(file, manifest));
      expect(output.filter((line) => line.includes(` ${file} `)).sort()).toEqual(expected.sort());
    });

    it('rejects the negative control, so a pass above means something', () => {
      expect(output.filter((line) => line.includes(negativeControl()))).toEqual([expect.stringMatching(/^ERROR .* did not validate for resource deployment\/cost-analyzer against version 1\.33: spec: .*'replica'/)]);
    });

    it.each(RENDER_NAMES)('validates the %s ServiceMonitor against its CRD', (name) => {
      const custom = charts.rendered[name].filter((manifest) => isCustomResource(manifest));
      expect(custom.map((manifest) => manifest.kind)).toEqual(['ServiceMonitor']);
      expect(validateCustomResources(custom)).toEqual([]);
    });
  });

  describe('checkov', () => {
    let report: CheckovReport;

    beforeAll(() => {
      report = checkovKubernetes(charts.renderedDir, join(COST_ANALYZER_CHART_DIR, '.checkov.yaml'));
    }, 120_000);

    it('finds no unsuppressed failure in any render', () => {
      expectNoCheckovFailure(report);
    });

    it.each(RENDER_NAMES)('ran the pod-security checks on the %s Deployment, and found its pods covered by a NetworkPolicy', (name) => {
      expectCheckovPodChecksPassed(report, { renderName: name, namespace: NAMESPACE, release: RELEASE });
    });
  });
});
