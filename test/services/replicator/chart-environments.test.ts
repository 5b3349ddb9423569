/**
 * The replicator chart with exactly the values each environment's primary workloads stack synthesizes (the only
 * stacks that install it): it must lint, render and validate against the Kubernetes 1.33 and CRD schemas, and mount
 * a config the replicator accepts. Values Terraform resolves at apply (role ARN, Google service account, client ID,
 * federation provider) are references here; the chart's schema checks their shape only where a reference has it.
 * The chart's behaviour is asserted in chart.test.ts; this test proves the stacks feed it values it accepts.
 */
import { parse } from 'yaml';
import { NAMESPACES } from '../../../constructs/workloads/namespaces';
import { REPLICATOR_CHART_DIR } from '../../../constructs/workloads/replicator-values';
import { parseReplicatorConfig } from '../../../services/replicator/src/config';
import { ENVIRONMENT_NAMES } from '../../../stacks/environments/schema';
import { kubernetesValidate, renderChart, type ChartRenders, type Manifest } from '../../helpers/charts';
import { isCustomResource, validateCustomResources } from '../../helpers/crd-validation';
import { resourcesOfType, synthEnvironment } from '../../helpers/synth';

/** The replicator release of every workloads stack that has one, by `<env>-<region>`. */
function replicatorValueSets(): Record<string, object> {
  const sets: Record<string, object> = {};
  for (const environment of ENVIRONMENT_NAMES) {
    for (const [name, stack] of Object.entries(synthEnvironment(environment)).filter(([stackName]) => stackName.endsWith('-workloads'))) {
      for (const release of resourcesOfType(stack, 'helm_release').filter((candidate) => candidate.name === 'replicator')) {
        sets[name.replace(/-workloads$/, '')] = JSON.parse((release.values as string[])[0]) as object;
      }
    }
  }
  return sets;
}

const VALUE_SETS = replicatorValueSets();

let charts: ChartRenders<Manifest & { readonly data?: Record<string, string> }>;

beforeAll(() => {
  charts = renderChart({ chartDir: REPLICATOR_CHART_DIR, release: 'replicator', namespace: NAMESPACES.system.name, valueSets: VALUE_SETS });
}, 120_000);

afterAll(() => charts?.cleanUp());

describe('replicator chart with every environment’s synthesized values', () => {
  it('is installed by the primary region of each environment only', () => {
    expect(Object.keys(VALUE_SETS).sort()).toEqual(ENVIRONMENT_NAMES.map((environment) => `${environment}-aws-us-west-2`).sort());
  });

  it.each(Object.keys(VALUE_SETS))('%s: lints strictly, renders the whole release, and mounts a config the replicator accepts', (name) => {
    expect(charts.lint[name].stdout + charts.lint[name].stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(charts.lint[name].status).toBe(0);
    expect(charts.rendered[name].map((manifest) => manifest.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceMonitor']);
    const configMap = charts.rendered[name].find((manifest) => manifest.kind === 'ConfigMap');
    const config = parseReplicatorConfig(parse(configMap?.data?.['config.yaml'] ?? ''));
    expect(config.mode === 'replicate' && config.stores.map((store) => store.kind)).toEqual(['s3', 'gcs', 'azure-blob']);
    expect(Object.keys(configMap?.data ?? {}).sort()).toEqual(['config.yaml', 'gcp-credentials.json']);
  });

  it('passes kubernetes-validate (1.33, strict) for every built-in object, and the ServiceMonitor CRD schema', () => {
    const files = Object.keys(VALUE_SETS).map((name) => charts.builtinFile(name));
    const lines = kubernetesValidate(files);
    expect(lines.filter((line) => !line.startsWith('INFO '))).toEqual([]);
    // ConfigMap, Deployment, NetworkPolicy, PDB, Service, ServiceAccount: six built-in objects per render.
    expect(lines).toHaveLength(files.length * 6);
    for (const manifests of Object.values(charts.rendered)) expect(validateCustomResources(manifests.filter(isCustomResource))).toEqual([]);
  }, 60_000);
});
