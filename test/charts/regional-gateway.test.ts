/**
 * The regional-gateway chart, rendered by the real helm with the values the
 * workloads stacks of dev and prod actually synthesize for each cloud, then
 * checked by helm lint, kubernetes-validate (built-in kinds), the upstream CRD
 * schemas (custom kinds), checkov, and targeted assertions on the gateway,
 * certificate and issuer.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { NAMESPACES } from '../../constructs/workloads/namespaces';
import { checkovKubernetes, kubernetesValidate, renderChart, run, validatedLine, type ChartRenders, type Manifest as BaseManifest } from '../helpers/charts';
import { isCustomResource, validateCustomResources } from '../helpers/crd-validation';
import { synthesizedReleaseValues } from '../helpers/synth';
import { toolPath } from '../helpers/tools';

const CHART_DIR = join(__dirname, '..', '..', 'constructs', 'workloads', 'charts', 'regional-gateway');

interface Manifest extends BaseManifest {
  readonly spec: Record<string, unknown>;
  readonly rules?: unknown[];
  readonly subjects?: unknown[];
}

const VALUE_SETS = { ...synthesizedReleaseValues('dev', 'regional-gateway'), ...synthesizedReleaseValues('prod', 'regional-gateway') };
const RENDERS = Object.keys(VALUE_SETS);

let charts: ChartRenders<Manifest>;

function only(render: string, kind: string): Manifest {
  const matches = charts.rendered[render].filter((manifest) => manifest.kind === kind);
  if (matches.length !== 1) throw new Error(`${render}: expected one ${kind}, found ${matches.length}`);
  return matches[0];
}

beforeAll(() => {
  charts = renderChart<Manifest>({ chartDir: CHART_DIR, release: 'regional-gateway', namespace: NAMESPACES.gateway.name, valueSets: VALUE_SETS });
}, 120_000);

afterAll(() => charts?.cleanUp());

describe('regional-gateway chart', () => {
  it('is rendered for every region of dev and prod', () => {
    expect(RENDERS.sort()).toEqual(['dev-aws-us-west-2', 'dev-azure-centralindia', 'dev-gcp-europe-west1', 'prod-aws-us-west-2', 'prod-azure-centralindia', 'prod-gcp-europe-west1']);
  });

  it.each(RENDERS)('%s: passes helm lint --strict', (render) => {
    expect(charts.lint[render].stdout + charts.lint[render].stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(charts.lint[render].status).toBe(0);
  });

  it('rejects a misspelt value (strict values.schema.json)', () => {
    const valuesFile = join(charts.workDir, 'misspelt.values.yaml');
    writeFileSync(valuesFile, stringify({ ...VALUE_SETS['dev-aws-us-west-2'], gatewayNmae: 'x' }));
    const result = run(toolPath('helm'), ['template', 'regional-gateway', CHART_DIR, '--values', valuesFile]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("additional properties 'gatewayNmae' not allowed");
  });

  it('validates every built-in object against the Kubernetes 1.33 schemas', () => {
    const lines = kubernetesValidate(RENDERS.map((render) => charts.builtinFile(render)));
    const expected = RENDERS.flatMap((render) =>
      charts.rendered[render].filter((manifest) => !isCustomResource(manifest)).map((manifest) => validatedLine(charts.builtinFile(render), manifest)),
    );
    expect(expected.length).toBe(RENDERS.length * 3);
    expect(lines.sort()).toEqual(expected.sort());
  }, 60_000);

  it('validates every custom resource against the upstream CRD schemas (Gateway API, Envoy Gateway, cert-manager)', () => {
    for (const render of RENDERS) {
      const custom = charts.rendered[render].filter((manifest) => isCustomResource(manifest));
      expect(custom.map((manifest) => manifest.kind).sort()).toEqual(['Certificate', 'ClusterIssuer', 'EnvoyProxy', 'Gateway', 'GatewayClass', 'HTTPRoute']);
      expect(validateCustomResources(custom)).toEqual([]);
    }
  }, 60_000);

  it('has no checkov finding', () => {
    const report = checkovKubernetes(charts.renderedDir);
    expect(report.results.failed_checks.map((check) => `${check.check_id} ${check.resource}`)).toEqual([]);
    expect(report.summary.parsing_errors).toBe(0);
    expect(report.summary.passed).toBeGreaterThan(0);
  }, 120_000);

  describe.each(RENDERS)('%s', (render) => {
    it('binds the proxies Service to the reserved address the cloud way', () => {
      const service = ((only(render, 'EnvoyProxy').spec.provider as Record<string, Record<string, Record<string, unknown>>>).kubernetes.envoyService);
      expect(service).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
      if (render.includes('-aws-')) {
        expect(service.annotations).toMatchObject({ 'service.beta.kubernetes.io/aws-load-balancer-eip-allocations': expect.stringMatching(/aws_eip/) });
        expect(service.loadBalancerIP).toBeUndefined();
      } else if (render.includes('-gcp-')) {
        expect(service.loadBalancerIP).toMatch(/google_compute_address/);
      } else {
        expect(service.annotations).toMatchObject({ 'service.beta.kubernetes.io/azure-pip-name': expect.stringMatching(/azurerm_public_ip/) });
      }
    });

    it('runs the proxies restricted: non-root, no capabilities, read-only root filesystem', () => {
      const deployment = ((only(render, 'EnvoyProxy').spec.provider as Record<string, Record<string, Record<string, Record<string, unknown>>>>).kubernetes.envoyDeployment);
      expect(deployment.pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(deployment.container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(deployment.replicas).toBe(render.startsWith('prod') ? 3 : 2);
    });

    it('terminates TLS for routes from ml-serving, skyline-system and monitoring only, and redirects plain HTTP', () => {
      const listeners = only(render, 'Gateway').spec.listeners as Record<string, unknown>[];
      expect(listeners).toEqual([
        { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } },
        {
          name: 'https', protocol: 'HTTPS', port: 443,
          tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'regional-tls' }] },
          allowedRoutes: {
            namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ml-serving', 'skyline-system', 'monitoring'] }] } },
          },
        },
      ]);
      expect(only(render, 'HTTPRoute').spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
    });

    it('certifies the global, regional and control names through DNS-01 on Route53 with the keyless role', () => {
      const domain = render.startsWith('prod') ? 'prod.ml.example.com' : 'ml.example.com';
      const region = render.split('-').slice(2).join('-');
      expect(only(render, 'Certificate').spec.dnsNames).toEqual([`api.${domain}`, `${region}.api.${domain}`, `${region}.control.${domain}`]);
      const acme = only(render, 'ClusterIssuer').spec.acme as Record<string, Record<string, unknown>[]>;
      expect(acme.solvers).toEqual([
        { dns01: { route53: { region: 'us-west-2', role: expect.stringMatching(/aws_iam_role\.dns01-identity/), auth: { kubernetes: { serviceAccountRef: { name: 'route53-dns01' } } } } } },
      ]);
    });

    it('lets cert-manager mint tokens for the Route53 service account and nothing else', () => {
      expect(only(render, 'Role').rules).toEqual([{ apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['route53-dns01'], verbs: ['create'] }]);
      expect(only(render, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'cert-manager', namespace: 'cert-manager' }]);
    });
  });
});
