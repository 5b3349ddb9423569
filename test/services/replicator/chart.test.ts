/**
 * The replicator chart, rendered by the real helm for the chart's defaults and three value sets built by
 * replicatorValues (S3 source with SQS events; GCS and Azure Blob destinations reached through federation); the
 * output is checked by helm lint, kubernetes-validate (Kubernetes 1.33 schemas), the CRD schemas (ServiceMonitor),
 * checkov, and targeted assertions on the parsed manifests. The rendered config file must load in the replicator.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { NAMESPACES } from '../../../constructs/workloads/namespaces';
import { REPLICATOR_CHART_DIR, replicatorValues, type ReplicatorProps, type ReplicatorValues } from '../../../constructs/workloads/replicator-values';
import { parseReplicatorConfig } from '../../../services/replicator/src/config';
import { expectCheckovPodChecksPassed, expectHealthProbes, expectNoCheckovFailure, expectRestrictedContainerSecurityContext, expectRestrictedPodSecurityContext } from '../../helpers/chart-assertions';
import { checkovKubernetes, KUBERNETES_VERSION, kubernetesValidate, parseManifests, renderChart, run, validatedLine, type ChartRenders, type Run } from '../../helpers/charts';
import { isCustomResource, validateCustomResources } from '../../helpers/crd-validation';
import { toolPath } from '../../helpers/tools';

const RELEASE = 'replicator';
const NAMESPACE = NAMESPACES.system.name;
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '66666666-7777-8888-9999-000000000000';
const AUDIENCE = '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/skyline-dev-eks/providers/kubernetes';

/** S3 to GCS (and Azure Blob), SQS events; staging leaves the optional keys out, so none may leak from the chart's defaults. */
function config(env: string, destinations: 'gcp' | 'gcp-and-azure'): ReplicatorProps['config'] {
  if (destinations === 'gcp') {
    return { stores: [{ name: 'us-west-2', kind: 's3', bucket: `skyline-${env}-models-usw2`, region: 'us-west-2' }, { name: 'europe-west1', kind: 'gcs', bucket: `skyline-${env}-models-euw1` }] };
  }
  return {
    stores: [
      { name: 'us-west-2', kind: 's3', bucket: `skyline-${env}-models-usw2`, region: 'us-west-2' },
      { name: 'europe-west1', kind: 'gcs', bucket: `skyline-${env}-models-euw1` },
      { name: 'centralindia', kind: 'azure-blob', accountUrl: `https://skyline${env}modelsci.blob.core.windows.net`, container: 'models' },
    ],
    events: [{ kind: 'sqs', store: 'us-west-2', queueUrl: `https://sqs.us-west-2.amazonaws.com/111111111111/skyline-${env}-models-usw2-events`, region: 'us-west-2' }],
    reconcile: { intervalSeconds: 300 },
  };
}

const VALUE_SETS = {
  /** EKS, both federations, by tag. */
  dev: replicatorValues({
    imageRepository: 'ghcr.io/acme/skyline-replicator',
    imageTag: '0.1.0',
    config: config('dev', 'gcp-and-azure'),
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/skyline-dev-replicator' },
    gcpFederation: { audience: AUDIENCE, serviceAccountEmail: 'skyline-dev-replicator@skyline-dev.iam.gserviceaccount.com' },
    azureFederation: { clientId: CLIENT, tenantId: TENANT },
  }),
  /** A GCS destination only: no Azure credentials at all. */
  staging: replicatorValues({
    imageRepository: 'ghcr.io/acme/skyline-replicator',
    imageTag: '0.1.0',
    config: config('staging', 'gcp'),
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::222222222222:role/skyline-staging-replicator' },
    gcpFederation: { audience: AUDIENCE, serviceAccountEmail: 'skyline-staging-replicator@skyline-staging.iam.gserviceaccount.com' },
    cpuMillicores: 500,
    memoryMiB: 1024,
  }),
  /** By digest, both federations, scraped every 15 s. */
  prod: replicatorValues({
    imageRepository: '333333333333.dkr.ecr.us-west-2.amazonaws.com/skyline/replicator',
    imageDigest: DIGEST,
    config: { ...config('prod', 'gcp-and-azure'), copy: { concurrencyPerDestination: 8 } },
    serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::333333333333:role/skyline-prod-replicator' },
    gcpFederation: { audience: AUDIENCE, serviceAccountEmail: 'skyline-prod-replicator@skyline-prod.iam.gserviceaccount.com' },
    azureFederation: { clientId: CLIENT, tenantId: TENANT },
    scrapeIntervalSeconds: 15,
  }),
} satisfies Record<string, ReplicatorValues>;

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
  readonly projected?: { readonly defaultMode: number; readonly sources: Record<string, unknown>[] };
}
interface Container {
  readonly image: string;
  readonly args: string[];
  readonly env?: { readonly name: string; readonly value: string }[];
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

function helm(args: string[]): Run {
  return run(toolPath('helm'), args);
}

function helmArgs(valuesFile: string | undefined): string[] {
  return [REPLICATOR_CHART_DIR, '--namespace', NAMESPACE, '--kube-version', KUBERNETES_VERSION, ...(valuesFile ? ['--values', valuesFile] : [])];
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

function replicator(name: RenderName): Container {
  return podSpec(name).containers[0];
}

function defaultValues(): ReplicatorValues {
  return parse(readFileSync(join(REPLICATOR_CHART_DIR, 'values.yaml'), 'utf8')) as ReplicatorValues;
}

beforeAll(() => {
  const valueSets: Record<string, object | undefined> = { defaults: undefined, ...VALUE_SETS };
  charts = renderChart<Manifest>({ chartDir: REPLICATOR_CHART_DIR, release: RELEASE, namespace: NAMESPACE, valueSets });
}, 60_000);

afterAll(() => charts?.cleanUp());

describe('replicator chart', () => {
  describe.each(RENDER_NAMES)('%s values', (name) => {
    it('passes helm lint --strict', () => {
      expect(charts.lint[name].stdout + charts.lint[name].stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
      expect(charts.lint[name].status).toBe(0);
    });

    it('renders every object in the release namespace', () => {
      expect(charts.rendered[name].map((manifest) => manifest.kind).sort()).toEqual(
        ['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceMonitor'].sort(),
      );
      for (const manifest of charts.rendered[name]) expect(manifest.metadata.namespace).toBe(NAMESPACE);
    });

    it('mounts a config file the replicator itself accepts, the one of the values', () => {
      const file = only(name, 'ConfigMap').data?.['config.yaml'] ?? '';
      const values = name === 'defaults' ? defaultValues() : VALUE_SETS[name];
      expect(parse(file)).toEqual(values.config);
      expect(parseReplicatorConfig(parse(file)).mode).toBe('replicate');
      expect(replicator(name).args).toEqual(['--config', '/etc/skyline/replicator/config.yaml']);
      expect(replicator(name).volumeMounts[0]).toEqual({ name: 'config', mountPath: '/etc/skyline/replicator', readOnly: true });
    });
  });

  it('maps every value the chart defines, and no other (the TS side mirrors values.yaml)', () => {
    const defaults = defaultValues() as unknown as Record<string, unknown>;
    // Free-form maps hold whatever the stack sets: compare the keys above them.
    const freeFormMaps = ['config', 'serviceAccount.annotations'];
    const keyPaths = (value: unknown, prefix = ''): string[] =>
      value !== null && typeof value === 'object' && !Array.isArray(value) && !freeFormMaps.includes(prefix)
        ? Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key))
        : [prefix];
    for (const name of SET_NAMES) expect(keyPaths(VALUE_SETS[name]).sort()).toEqual(keyPaths(defaults).sort());
  });

  describe('values checks', () => {
    it.each([
      ['a misspelt key', { replicas: 2 }, "additional properties 'replicas' not allowed"],
      ['root', { securityContext: { runAsUser: 0, runAsGroup: 0 } }, "at '/securityContext/runAsUser'"],
      ['a budget that blocks every drain', { podDisruptionBudget: { enabled: true, maxUnavailable: 0 } }, "at '/podDisruptionBudget/maxUnavailable'"],
      ['GCP federation without an account to impersonate', { gcpFederation: { ...VALUE_SETS.staging.gcpFederation, serviceAccountEmail: '' } }, "at '/gcpFederation/serviceAccountEmail'"],
      ['Azure federation without a tenant', { azureFederation: { ...VALUE_SETS.dev.azureFederation, tenantId: '' } }, "at '/azureFederation/tenantId'"],
      ['a config with one store', { config: { ...VALUE_SETS.dev.config, stores: VALUE_SETS.dev.config.stores.slice(0, 1) } }, "at '/config/stores'"],
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
      ['config.mode=sync', 'config.mode is "sync": this chart runs the replicator in replicate mode'],
    ])('fails helm template on %s (checks across values)', (set, message) => {
      const result = helm(['template', RELEASE, ...helmArgs(undefined), '--set', set]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(message);
    });

    it('refuses a config the replicator would refuse, and bad federation props, at synth', () => {
      expect(() =>
        replicatorValues({
          imageRepository: 'ghcr.io/acme/skyline-replicator',
          imageTag: 'latest',
          config: { ...config('dev', 'gcp'), events: [{ kind: 'sqs', store: 'europe-west1', queueUrl: 'https://sqs.us-west-2.amazonaws.com/1/q', region: 'us-west-2' }] },
          azureFederation: { clientId: 'not-a-uuid', tenantId: TENANT },
        }),
      ).toThrow(
        /Invalid replicator props \(3 problems\):\n {2}- imageTag is "latest": must be a fixed release tag.*\n {2}- azureFederation\.clientId is "not-a-uuid": .*\n {2}- config\.events\[0\]\.store is "europe-west1": is not a source of any route/,
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
      const lines = output.filter((line) => line.includes(` ${file} `));
      const expected = charts.rendered[name].filter((manifest) => !isCustomResource(manifest)).map((manifest) => validatedLine(file, manifest));
      expect(lines.sort()).toEqual(expected.sort());
    });

    it('rejects the negative control, so a pass above means something', () => {
      expect(output.filter((line) => line.includes(negativeControl()))).toEqual([expect.stringMatching(/^ERROR .* did not validate for resource deployment\/replicator against version 1\.33: spec: .*'replica'/)]);
    });

    it.each(RENDER_NAMES)('validates the %s ServiceMonitor against its CRD', (name) => {
      const custom = charts.rendered[name].filter((manifest) => isCustomResource(manifest));
      expect(custom.map((manifest) => manifest.kind)).toEqual(['ServiceMonitor']);
      expect(validateCustomResources(custom)).toEqual([]);
    });
  });

  describe('checkov', () => {
    let report: ReturnType<typeof checkovKubernetes>;

    beforeAll(() => {
      report = checkovKubernetes(charts.renderedDir, join(REPLICATOR_CHART_DIR, '.checkov.yaml'));
    }, 120_000);

    it('finds no unsuppressed failure in any render', () => {
      expectNoCheckovFailure(report);
    });

    it.each(RENDER_NAMES)('ran the pod-security checks on the %s Deployment, and found its pods covered by a NetworkPolicy', (name) => {
      expectCheckovPodChecksPassed(report, { renderName: name, namespace: NAMESPACE, release: RELEASE });
    });
  });

  describe('security', () => {
    it.each(RENDER_NAMES)('%s: runs as a numeric non-root user, read-only root with an emptyDir /tmp, nothing to escalate to', (name) => {
      expectRestrictedPodSecurityContext(podSpec(name).securityContext);
      expectRestrictedContainerSecurityContext(replicator(name).securityContext);
      expect(podSpec(name).volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
      expect(replicator(name).volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    });

    it.each(RENDER_NAMES)('%s: mounts no Kubernetes API token', (name) => {
      expect(podSpec(name).automountServiceAccountToken).toBe(false);
      expect(only(name, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    });

    it('runs as skyline-system/replicator, the account the cloud identities trust, with the IRSA role', () => {
      expect(only('dev', 'ServiceAccount').metadata).toMatchObject({ name: 'replicator', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/skyline-dev-replicator' } });
      expect(podSpec('dev').serviceAccountName).toBe('replicator');
    });

    it('reaches GCS with an external-account credential file: the pod\'s token, audience the federation provider, then impersonation', () => {
      const credentials = JSON.parse(only('dev', 'ConfigMap').data?.['gcp-credentials.json'] ?? '{}') as Record<string, unknown>;
      expect(credentials).toEqual({
        type: 'external_account',
        universe_domain: 'googleapis.com',
        audience: AUDIENCE,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: 'https://sts.googleapis.com/v1/token',
        credential_source: { file: '/var/run/secrets/gcp/serviceaccount/token', format: { type: 'text' } },
        service_account_impersonation_url: 'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/skyline-dev-replicator@skyline-dev.iam.gserviceaccount.com:generateAccessToken',
      });
      expect(replicator('dev').env).toContainEqual({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/etc/skyline/gcp/gcp-credentials.json' });
      expect(podSpec('dev').volumes).toContainEqual({ name: 'gcp-credentials', configMap: { name: RELEASE, items: [{ key: 'gcp-credentials.json', path: 'gcp-credentials.json' }] } });
      expect(podSpec('dev').volumes).toContainEqual({
        name: 'gcp-token',
        projected: { defaultMode: 0o444, sources: [{ serviceAccountToken: { path: 'token', audience: AUDIENCE, expirationSeconds: 3600 } }] },
      });
      expect(replicator('dev').volumeMounts).toEqual(
        expect.arrayContaining([
          { name: 'gcp-credentials', mountPath: '/etc/skyline/gcp', readOnly: true },
          { name: 'gcp-token', mountPath: '/var/run/secrets/gcp/serviceaccount', readOnly: true },
        ]),
      );
    });

    it('reaches Azure Blob with a token for Entra\'s exchange, as the AKS webhook would set it up', () => {
      expect(replicator('dev').env).toEqual(
        expect.arrayContaining([
          { name: 'AZURE_CLIENT_ID', value: CLIENT },
          { name: 'AZURE_TENANT_ID', value: TENANT },
          { name: 'AZURE_FEDERATED_TOKEN_FILE', value: '/var/run/secrets/azure/tokens/azure-identity-token' },
          { name: 'AZURE_AUTHORITY_HOST', value: 'https://login.microsoftonline.com/' },
        ]),
      );
      expect(podSpec('dev').volumes).toContainEqual({
        name: 'azure-token',
        projected: { defaultMode: 0o444, sources: [{ serviceAccountToken: { path: 'azure-identity-token', audience: 'api://AzureADTokenExchange', expirationSeconds: 3600 } }] },
      });
    });

    it('gives a pod only the credentials of the clouds it writes to', () => {
      expect(replicator('staging').env?.map((variable) => variable.name)).toEqual(['GOOGLE_APPLICATION_CREDENTIALS']);
      expect(podSpec('staging').volumes.map((volume) => volume.name)).toEqual(['config', 'tmp', 'gcp-credentials', 'gcp-token']);
      expect(replicator('defaults').env).toBeUndefined();
      expect(podSpec('defaults').volumes.map((volume) => volume.name)).toEqual(['config', 'tmp']);
      expect(Object.keys(only('defaults', 'ConfigMap').data ?? {})).toEqual(['config.yaml']);
    });

    it('pulls prod by digest, the others by tag', () => {
      expect(replicator('prod').image).toBe(`333333333333.dkr.ecr.us-west-2.amazonaws.com/skyline/replicator@${DIGEST}`);
      expect(replicator('dev').image).toBe('ghcr.io/acme/skyline-replicator:0.1.0');
    });
  });

  describe('availability', () => {
    it('runs one replica on the system pool, replaced (not surged) on a rollout, evictable by a drain', () => {
      expect(only('dev', 'Deployment').spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
      expect(podSpec('dev').nodeSelector).toEqual({ 'skyline.io/pool-role': 'system' });
      expect(only('dev', 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
      expect((only('dev', 'Deployment').spec.template as { spec: { terminationGracePeriodSeconds: number } }).spec.terminationGracePeriodSeconds).toBe(120);
    });

    it('is ready on /readyz and alive on /healthz, on the HTTP port, within its resources', () => {
      expectHealthProbes(replicator('dev'), { port: 'http', readinessPeriodSeconds: 10, livenessPeriodSeconds: 10 });
      expect(replicator('dev').ports).toEqual([{ name: 'http', containerPort: 9464, protocol: 'TCP' }]);
      expect(replicator('staging').resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
    });

    it('rolls the pod when the config or a credential setting changes', () => {
      const annotation = (name: RenderName): string | undefined => (only(name, 'Deployment').spec.template as { metadata: { annotations: Record<string, string> } }).metadata.annotations['checksum/config'];
      expect(annotation('dev')).toMatch(/^[a-f0-9]{64}$/);
      expect(new Set(SET_NAMES.map(annotation)).size).toBe(SET_NAMES.length);
    });
  });

  describe('network and monitoring', () => {
    it('admits Prometheus to the HTTP port only; egress is the baseline\'s (DNS, HTTPS to the clouds)', () => {
      expect(only('dev', 'NetworkPolicy').spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'replicator', 'app.kubernetes.io/instance': RELEASE } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NAMESPACES.monitoring.name } } }], ports: [{ protocol: 'TCP', port: 9464 }] }],
      });
    });

    it('lets Prometheus find the service by label and scrape /metrics on the HTTP port', () => {
      const monitor = only('prod', 'ServiceMonitor');
      expect(monitor.metadata.labels?.['skyline.io/monitor']).toBe('true');
      expect(only('prod', 'Service').metadata.labels).toMatchObject((monitor.spec.selector as { matchLabels: Record<string, string> }).matchLabels);
      expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '15s' }]);
    });

    it('drops the ServiceMonitor, PodDisruptionBudget and NetworkPolicy when switched off', () => {
      const result = helm(['template', RELEASE, ...helmArgs(undefined), '--set', 'serviceMonitor.enabled=false,podDisruptionBudget.enabled=false,networkPolicy.enabled=false']);
      expect(result.status).toBe(0);
      expect(parseManifests(result.stdout).map((manifest) => manifest.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Service', 'ServiceAccount']);
    });
  });
});
