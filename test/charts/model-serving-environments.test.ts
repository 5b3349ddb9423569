/**
 * The model-serving chart with exactly the values each workloads stack of
 * every environment synthesizes (nine value sets): it must lint, render and
 * validate against the Kubernetes 1.33 and CRD schemas for all of them. The chart's
 * behaviour is asserted in model-serving.test.ts; this test proves the stacks
 * feed it values it accepts.
 */
import { MODEL_SERVING_CHART_DIR } from '../../constructs/workloads/model-serving-values';
import { NAMESPACES } from '../../constructs/workloads/namespaces';
import { ENVIRONMENT_NAMES } from '../../stacks/environments/schema';
import { kubernetesValidate, renderChart, type ChartRenders } from '../helpers/charts';
import { isCustomResource, validateCustomResources } from '../helpers/crd-validation';
import { synthesizedReleaseValues } from '../helpers/synth';

const VALUE_SETS: Record<string, object> = Object.assign({}, ...ENVIRONMENT_NAMES.map((environment) => synthesizedReleaseValues(environment, 'model-serving')));

let charts: ChartRenders;

beforeAll(() => {
  charts = renderChart({ chartDir: MODEL_SERVING_CHART_DIR, release: 'model-serving', namespace: NAMESPACES.serving.name, valueSets: VALUE_SETS });
}, 120_000);

afterAll(() => charts?.cleanUp());

describe('model-serving chart with every environment’s synthesized values', () => {
  it('covers the three regions of the three environments', () => {
    expect(Object.keys(VALUE_SETS)).toHaveLength(9);
  });

  it.each(Object.keys(VALUE_SETS))('%s: lints strictly and renders the whole release', (name) => {
    expect(charts.lint[name].stdout + charts.lint[name].stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(charts.lint[name].status).toBe(0);
    expect(charts.rendered[name].map((manifest) => manifest.kind).sort()).toEqual(
      // The ConfigMap is the model sync sidecar's: every environment keeps its served model in sync.
      ['ConfigMap', 'Deployment', 'HTTPRoute', 'HTTPRoute', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceMonitor'].sort(),
    );
  });

  it('validates the HTTPRoutes and ServiceMonitor of every render against their CRD schemas', () => {
    for (const manifests of Object.values(charts.rendered)) {
      const custom = manifests.filter((manifest) => isCustomResource(manifest));
      expect(custom).toHaveLength(3);
      expect(validateCustomResources(custom)).toEqual([]);
    }
  }, 60_000);

  it('passes kubernetes-validate (1.33, strict) for every built-in object of every render', () => {
    const files = Object.keys(VALUE_SETS).map((name) => charts.builtinFile(name));
    const lines = kubernetesValidate(files);
    expect(lines.filter((line) => !line.startsWith('INFO '))).toEqual([]);
    // Deployment, Service, ServiceAccount, HPA, PDB, NetworkPolicy, ConfigMap: seven built-in objects per render.
    expect(lines).toHaveLength(files.length * 7);
  }, 60_000);
});
