/**
 * The edge-observability chart, rendered by the real helm with the values every region of dev and prod
 * synthesizes: helm lint, the upstream CRD schemas (PrometheusRule, HTTPRoute, SecurityPolicy), promtool on
 * the rendered rules, and the federation route: GET /federate of the regional Prometheus, on the region's
 * control name, behind basic auth.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { EDGE_OBSERVABILITY_CHART_DIR, type EdgeObservabilityValues } from '../../constructs/workloads/edge-observability';
import { NAMESPACES } from '../../constructs/workloads/namespaces';
import { renderChart, run, type ChartRenders, type Manifest as BaseManifest } from '../helpers/charts';
import { validateCustomResources } from '../helpers/crd-validation';
import { promtool } from '../helpers/prometheus-peers';
import { toolPath } from '../helpers/tools';
import { synthesizedObservability } from '../constructs/observability/synthesized';

interface Manifest extends BaseManifest {
  readonly spec: Record<string, unknown>;
}

const VALUE_SETS: Record<string, EdgeObservabilityValues> = Object.fromEntries(
  ['dev', 'prod'].flatMap((environment) => Object.entries(synthesizedObservability(environment).edge).map(([region, values]) => [`${environment}-${region}`, values])),
);
const RENDERS = Object.keys(VALUE_SETS);
let charts: ChartRenders<Manifest>;

function only(render: string, kind: string): Manifest {
  const matches = charts.rendered[render].filter((manifest) => manifest.kind === kind);
  if (matches.length !== 1) throw new Error(`${render}: expected one ${kind}, found ${matches.length}`);
  return matches[0];
}

beforeAll(() => {
  charts = renderChart<Manifest>({ chartDir: EDGE_OBSERVABILITY_CHART_DIR, release: 'edge-observability', namespace: NAMESPACES.monitoring.name, valueSets: { defaults: undefined, ...VALUE_SETS } });
}, 120_000);

afterAll(() => charts?.cleanUp());

describe('edge-observability chart', () => {
  it('is rendered for every region of dev and prod', () => {
    expect(RENDERS).toHaveLength(6);
  });

  it.each(['defaults', ...RENDERS])('%s: passes helm lint --strict', (render) => {
    expect(charts.lint[render].stdout + charts.lint[render].stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(charts.lint[render].status).toBe(0);
  });

  it('rejects a misspelt value (strict values.schema.json)', () => {
    const valuesFile = join(charts.workDir, 'misspelt.values.yaml');
    writeFileSync(valuesFile, stringify({ ...VALUE_SETS['dev-aws-us-west-2'], federaton: {} }));
    const result = run(toolPath('helm'), ['template', 'edge-observability', EDGE_OBSERVABILITY_CHART_DIR, '--values', valuesFile]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("additional properties 'federaton' not allowed");
  });

  it('validates every object against the upstream CRD schemas', () => {
    for (const render of RENDERS) {
      expect(charts.rendered[render].map((manifest) => manifest.kind).sort()).toEqual(['HTTPRoute', 'PrometheusRule', 'SecurityPolicy']);
      expect(validateCustomResources(charts.rendered[render])).toEqual([]);
    }
  });

  it('renders rules that pass promtool check rules, for the regional Prometheus (scope edge)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edge-rules-'));
    try {
      const rule = only('dev-aws-us-west-2', 'PrometheusRule');
      expect(rule.metadata.labels).toEqual({ 'skyline.io/rule-scope': 'edge' });
      writeFileSync(join(dir, 'rules.yml'), stringify(rule.spec));
      const result = promtool(['check', 'rules', join(dir, 'rules.yml')]);
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.each(RENDERS)('%s', (render) => {
    it("publishes GET /federate of the regional Prometheus on the region's control name, and nothing else", () => {
      const domain = render.startsWith('prod') ? 'prod.ml.example.com' : 'ml.example.com';
      const region = render.split('-').slice(2).join('-');
      const route = only(render, 'HTTPRoute');
      expect(route.metadata.namespace).toBe('monitoring');
      expect(route.spec).toEqual({
        parentRefs: [{ name: 'regional', namespace: 'envoy-gateway-system', sectionName: 'https' }],
        hostnames: [`${region}.control.${domain}`],
        rules: [{ matches: [{ method: 'GET', path: { type: 'Exact', value: '/federate' } }], backendRefs: [{ name: 'kube-prometheus-stack-prometheus', port: 9090 }] }],
      });
    });

    it('puts basic auth from the htpasswd Secret in front of the route', () => {
      expect(only(render, 'SecurityPolicy').spec).toEqual({
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'skyline-federation' }],
        basicAuth: { users: { name: 'skyline-federation-htpasswd' } },
      });
    });
  });
});
