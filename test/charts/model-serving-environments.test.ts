/**
 * The model-serving chart with exactly the values each workloads stack of
 * every environment synthesizes (nine value sets): it must lint, render and
 * validate against the Kubernetes 1.33 and CRD schemas for all of them. The chart's
 * behaviour is asserted in model-serving.test.ts; this test proves the stacks
 * feed it values it accepts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { MODEL_SERVING_CHART_DIR } from '../../constructs/workloads/model-serving-values';
import { NAMESPACES } from '../../constructs/workloads/namespaces';
import { ENVIRONMENT_NAMES } from '../../stacks/environments/schema';
import { isCustomResource, validateCustomResources } from '../helpers/crd-validation';
import { resourcesOfType, synthEnvironment } from '../helpers/synth';
import { toolPath } from '../helpers/tools';

const KUBERNETES_VERSION = '1.33.0';

const VALUE_SETS: Record<string, object> = Object.fromEntries(
  ENVIRONMENT_NAMES.flatMap((environment) =>
    Object.entries(synthEnvironment(environment))
      .filter(([name]) => name.endsWith('-workloads'))
      .map(([name, stack]) => {
        const release = resourcesOfType(stack, 'helm_release').find((candidate) => candidate.name === 'model-serving');
        if (!release) throw new Error(`${name} installs no model-serving release`);
        return [name.replace(/-workloads$/, ''), JSON.parse((release.values as string[])[0]) as object];
      }),
  ),
);

let workDir: string;
const results: Record<string, { lint: string; lintStatus: number | null; kinds: string[]; builtinFile: string; custom: object[] }> = {};

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'model-serving-environments-'));
  for (const [name, values] of Object.entries(VALUE_SETS)) {
    const valuesFile = join(workDir, `${name}.values.yaml`);
    writeFileSync(valuesFile, stringify(values));
    const args = [MODEL_SERVING_CHART_DIR, '--namespace', NAMESPACES.serving.name, '--kube-version', KUBERNETES_VERSION, '--values', valuesFile];
    const lint = spawnSync(toolPath('helm'), ['lint', '--strict', ...args], { encoding: 'utf8' });
    const template = spawnSync(toolPath('helm'), ['template', 'model-serving', ...args], { encoding: 'utf8' });
    if (template.status !== 0) throw new Error(`helm template failed for ${name}:\n${template.stderr}`);
    const manifests = parseAllDocuments(template.stdout).map((document) => document.toJS() as { kind: string } | null).filter((manifest) => manifest !== null);
    const builtinFile = join(workDir, `${name}.yaml`);
    writeFileSync(builtinFile, manifests.filter((manifest) => !isCustomResource(manifest)).map((manifest) => stringify(manifest)).join('---\n'));
    const custom = manifests.filter((manifest) => isCustomResource(manifest));
    results[name] = { lint: lint.stdout + lint.stderr, lintStatus: lint.status, kinds: manifests.map((manifest) => manifest.kind).sort(), builtinFile, custom };
  }
}, 120_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('model-serving chart with every environment’s synthesized values', () => {
  it('covers the three regions of the three environments', () => {
    expect(Object.keys(VALUE_SETS)).toHaveLength(9);
  });

  it.each(Object.keys(VALUE_SETS))('%s: lints strictly and renders the whole release', (name) => {
    expect(results[name].lint).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(results[name].lintStatus).toBe(0);
    expect(results[name].kinds).toEqual(
      ['Deployment', 'HTTPRoute', 'HTTPRoute', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceMonitor'].sort(),
    );
  });

  it('validates the HTTPRoutes and ServiceMonitor of every render against their CRD schemas', () => {
    for (const result of Object.values(results)) {
      expect(result.custom).toHaveLength(3);
      expect(validateCustomResources(result.custom)).toEqual([]);
    }
  }, 60_000);

  it('passes kubernetes-validate (1.33, strict) for every built-in object of every render', () => {
    const files = Object.values(results).map((result) => result.builtinFile);
    const run = spawnSync(toolPath('kubernetesValidate'), ['--strict', '--kubernetes-version', KUBERNETES_VERSION, ...files], { encoding: 'utf8' });
    const lines = run.stdout.split('\n').filter((line) => line.trim() !== '');
    expect(lines.filter((line) => !line.startsWith('INFO '))).toEqual([]);
    // Deployment, Service, ServiceAccount, HPA, PDB, NetworkPolicy: six built-in objects per render.
    expect(lines).toHaveLength(files.length * 6);
  }, 60_000);
});
