/**
 * The global-observability chart, rendered by the real helm with the values the primary region of dev and
 * prod synthesizes: helm lint, kubernetes-validate (built-in kinds), the prometheus-operator CRD schemas
 * (Prometheus, Alertmanager, PrometheusRule), checkov, and the real tools on what the chart renders: promtool
 * on the rules and on a Prometheus configuration made of the rendered federation job, amtool on the rendered
 * Alertmanager configuration; the dashboards provisioned are the repository's files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { allDashboards, dashboardFileName, dashboardJson } from '../../constructs/observability/dashboards';
import { globalPrometheusConfig } from '../../constructs/observability/federation';
import type { ScrapeConfig } from '../../constructs/observability/prometheus-types';
import { GLOBAL_OBSERVABILITY_CHART_DIR, GRAFANA_IMAGE, type GlobalObservabilityValues } from '../../constructs/workloads/global-observability';
import { NAMESPACES } from '../../constructs/workloads/namespaces';
import { checkovKubernetes, kubernetesValidate, renderChart, run, validatedLine, type ChartRenders, type Manifest as BaseManifest } from '../helpers/charts';
import { isCustomResource, validateCustomResources } from '../helpers/crd-validation';
import { amtool, promtool } from '../helpers/prometheus-peers';
import { toolPath } from '../helpers/tools';
import { synthesizedObservability } from '../constructs/observability/synthesized';

interface Manifest extends BaseManifest {
  readonly spec: Record<string, unknown>;
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
}

const VALUE_SETS: Record<string, GlobalObservabilityValues> = { dev: synthesizedObservability('dev').global, prod: synthesizedObservability('prod').global };
const RENDERS = Object.keys(VALUE_SETS);
let charts: ChartRenders<Manifest>;
const work = mkdtempSync(join(tmpdir(), 'global-observability-test-'));

function named(render: string, kind: string, name: string): Manifest {
  const found = charts.rendered[render].find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`${render}: no ${kind} ${name}`);
  return found;
}

beforeAll(() => {
  charts = renderChart<Manifest>({ chartDir: GLOBAL_OBSERVABILITY_CHART_DIR, release: 'global-observability', namespace: NAMESPACES.monitoring.name, valueSets: { defaults: undefined, ...VALUE_SETS } });
}, 120_000);

afterAll(() => {
  charts?.cleanUp();
  rmSync(work, { recursive: true, force: true });
});

describe('global-observability chart', () => {
  it.each(['defaults', ...RENDERS])('%s: passes helm lint --strict', (render) => {
    expect(charts.lint[render].stdout + charts.lint[render].stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(charts.lint[render].status).toBe(0);
  });

  it('rejects a misspelt value (strict values.schema.json)', () => {
    const valuesFile = join(charts.workDir, 'misspelt.values.yaml');
    writeFileSync(valuesFile, stringify({ ...VALUE_SETS.dev, grafanna: {} }));
    const result = run(toolPath('helm'), ['template', 'global-observability', GLOBAL_OBSERVABILITY_CHART_DIR, '--values', valuesFile]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("additional properties 'grafanna' not allowed");
  });

  it('validates every built-in object against the Kubernetes 1.33 schemas', () => {
    const lines = kubernetesValidate(RENDERS.map((render) => charts.builtinFile(render)));
    const expected = RENDERS.flatMap((render) =>
      charts.rendered[render].filter((manifest) => !isCustomResource(manifest)).map((manifest) => validatedLine(charts.builtinFile(render), manifest)),
    );
    expect(expected.length).toBeGreaterThan(RENDERS.length * 10);
    expect(lines.sort()).toEqual(expected.sort());
  }, 60_000);

  it('validates the Prometheus, Alertmanager and PrometheusRule against the prometheus-operator CRDs', () => {
    for (const render of RENDERS) {
      const custom = charts.rendered[render].filter((manifest) => isCustomResource(manifest));
      expect(custom.map((manifest) => manifest.kind).sort()).toEqual(['Alertmanager', 'Prometheus', 'PrometheusRule']);
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
    const values = (): GlobalObservabilityValues => VALUE_SETS[render];

    it('runs a Prometheus that scrapes only the federation job and evaluates only the global rules', () => {
      const prometheus = named(render, 'Prometheus', 'skyline-global');
      expect(prometheus.spec).toMatchObject({
        additionalScrapeConfigs: { name: 'skyline-global-federation', key: 'federation.yaml' },
        ruleSelector: { matchLabels: { 'skyline.io/rule-scope': 'global' } },
        externalLabels: { env: render },
        prometheusExternalLabelName: '',
        replicaExternalLabelName: '',
        secrets: ['skyline-federation-client'],
        alerting: { alertmanagers: [{ namespace: 'monitoring', name: 'skyline-global-alertmanager', port: 'web', apiVersion: 'v2' }] },
        securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      });
      for (const selector of ['serviceMonitorSelector', 'podMonitorSelector', 'probeSelector', 'scrapeConfigSelector']) expect(prometheus.spec[selector]).toBeUndefined();
      expect(named(render, 'PrometheusRule', 'skyline-global').metadata.labels).toMatchObject({ 'skyline.io/rule-scope': 'global' });
    });

    it('renders a federation job and rules that pass promtool check config', () => {
      const jobs = parse(named(render, 'Secret', 'skyline-global-federation').stringData?.['federation.yaml'] ?? '') as ScrapeConfig[];
      expect(jobs).toEqual(values().prometheus.federationScrapeConfigs);
      const dir = join(work, render);
      writeFileSync(join(work, `${render}.rules.yml`), stringify(named(render, 'PrometheusRule', 'skyline-global').spec));
      const config = globalPrometheusConfig({ env: render, federation: jobs[0], ruleFiles: [`${render}.rules.yml`], alertmanagers: ['skyline-global-alertmanager.monitoring.svc:9093'] });
      writeFileSync(`${dir}.prometheus.yml`, stringify(config));
      const result = promtool(['check', 'config', `${dir}.prometheus.yml`]);
      expect(result.output).toContain('SUCCESS: 1 rule files found');
      expect(result.status).toBe(0);
    });

    it('configures the Alertmanager with the generated configuration, which amtool accepts, and mounts its receivers\' Secrets', () => {
      const rendered = named(render, 'Secret', 'skyline-global-alertmanager-config').stringData?.['alertmanager.yaml'] ?? '';
      expect(parse(rendered)).toEqual(values().alertmanager.config);
      writeFileSync(join(work, `${render}.alertmanager.yml`), rendered);
      const result = amtool(['check-config', join(work, `${render}.alertmanager.yml`)]);
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
      const alertmanager = named(render, 'Alertmanager', 'skyline-global');
      expect(alertmanager.spec).toMatchObject({ configSecret: 'skyline-global-alertmanager-config', replicas: render === 'prod' ? 3 : 1 });
      expect(alertmanager.spec.secrets ?? []).toEqual(values().alertmanager.secrets);
    });

    it('provisions exactly the repository\'s dashboards, and Grafana restricted, by digest, with its admin password as a file', () => {
      const dashboards = named(render, 'ConfigMap', 'global-observability-grafana-dashboards').data ?? {};
      expect(dashboards).toEqual(Object.fromEntries(allDashboards().map((dashboard) => [dashboardFileName(dashboard), dashboardJson(dashboard)])));
      for (const file of Object.keys(dashboards)) expect(dashboards[file]).toBe(readFileSync(join(GLOBAL_OBSERVABILITY_CHART_DIR, 'dashboards', file), 'utf8'));
      const pod = (named(render, 'Deployment', 'global-observability-grafana').spec.template as { spec: Record<string, unknown> }).spec;
      const [container] = pod.containers as Record<string, unknown>[];
      expect(container.image).toBe(`${GRAFANA_IMAGE.repository}:${GRAFANA_IMAGE.tag}@${GRAFANA_IMAGE.digest}`);
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      const env = container.env as { name: string; value?: string; valueFrom?: unknown }[];
      expect(env.filter((variable) => variable.valueFrom !== undefined)).toEqual([]);
      expect(env).toContainEqual({ name: 'GF_SECURITY_ADMIN_PASSWORD__FILE', value: '/etc/grafana/admin/admin-password' });
      const provisioning = named(render, 'ConfigMap', 'global-observability-grafana-provisioning').data ?? {};
      expect(parse(provisioning['datasources.yaml'])).toMatchObject({
        datasources: [{ uid: values().grafana.datasourceUid, type: 'prometheus', url: 'http://skyline-global-prometheus.monitoring.svc:9090', isDefault: true }],
      });
    });

    it('keeps a replica of Prometheus and of Alertmanager through a node drain when there are several', () => {
      const budgets = charts.rendered[render].filter((manifest) => manifest.kind === 'PodDisruptionBudget').map((manifest) => manifest.metadata.name).sort();
      expect(budgets).toEqual(render === 'prod' ? ['skyline-global-alertmanager', 'skyline-global-prometheus'] : []);
    });
  });
});
