/**
 * The policy gate (DESIGN § 11): checkov over the Terraform JSON of every environment, synthesized exactly as
 * `cdktf synth` does, and over every local chart those stacks install, rendered with the values they synthesize.
 * Zero unsuppressed findings.
 *
 * Suppressions: the Terraform ones in `.checkov.yaml`, each scoped to the stacks it concerns, with a written reason,
 * and still suppressing something (a stale one fails, so the list only shrinks with the findings). checkov's
 * kubernetes framework has no path-scoped skips, so a chart's suppressions are in its own `.checkov.yaml`, which
 * applies to that chart's renders alone (and to its chart test).
 *
 * A failure lists each finding as `CHECK_ID resource file`: fix the construct or chart, or add a scoped, reasoned
 * suppression (docs/delivery.md, "Policy gate").
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVIRONMENT_NAMES } from '../../stacks/environments/schema';
import { checkov, CHECKOV_CONFIG, findingLine, localReleases, readSuppressions, renderReleases, suppresses, synthesize, type CheckovReport, type LocalRelease } from './checkov-gate';

const workDir = mkdtempSync(join(tmpdir(), 'skyline-policy-'));
const synthDir = join(workDir, 'synth');
const renderDir = join(workDir, 'charts');

let releases: LocalRelease[];
/** Each local chart's own checkov config, if it has one (copied with the chart into the synthesized assets). */
let chartConfigs: Record<string, string | undefined>;
let terraform: CheckovReport;
let terraformUnsuppressed: CheckovReport;
let charts: Record<string, CheckovReport>;

beforeAll(async () => {
  await Promise.all(ENVIRONMENT_NAMES.map((environment) => synthesize(environment, join(synthDir, environment))));
  // Python checks and graph checks of one checkov process run one after the other: parallel processes keep both cores busy.
  const terraformRuns = Promise.all([checkov(synthDir, 'terraform_json', CHECKOV_CONFIG), checkov(synthDir, 'terraform_json')]);
  releases = ENVIRONMENT_NAMES.flatMap((environment) => localReleases(join(synthDir, environment)));
  chartConfigs = Object.fromEntries(
    releases.map((release) => {
      const config = join(release.chartDir, '.checkov.yaml');
      return [release.chart, existsSync(config) ? config : undefined];
    }),
  );
  await renderReleases(releases, renderDir);
  const chartRuns = Promise.all(Object.entries(chartConfigs).map(async ([chart, config]) => [chart, await checkov(join(renderDir, chart), 'kubernetes', config)] as const));
  const [terraformReports, chartReports] = await Promise.all([terraformRuns, chartRuns]);
  [terraform, terraformUnsuppressed] = terraformReports;
  charts = Object.fromEntries(chartReports);
}, 300_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('policy gate', () => {
  it('scans every stack of every environment and every local chart release', () => {
    expect(terraform.summary.parsing_errors).toBe(0);
    const scannedStacks = new Set(terraform.passed.map((check) => check.file_path.split('/').slice(0, 4).join('/')));
    for (const environment of ENVIRONMENT_NAMES) {
      for (const stack of ['aws-us-west-2-infra', 'gcp-europe-west1-infra', 'azure-centralindia-infra', 'global']) {
        expect(scannedStacks).toContain(`/${environment}/stacks/${environment}-${stack}`);
      }
      expect(scannedStacks).toContain(`/${environment}/stacks/bootstrap-${environment}`);
      const chartsOf = new Set(releases.filter((release) => release.stack.startsWith(`${environment}-`)).map((release) => release.chart));
      expect([...chartsOf]).toEqual(expect.arrayContaining(['model-serving', 'regional-gateway', 'failover']));
    }
    for (const report of Object.values(charts)) expect(report.summary.parsing_errors).toBe(0);
    // Every render of the charts with workloads was scanned, not only some (a chart of custom resources alone,
    // such as Prometheus rules, has nothing checkov checks).
    for (const chart of ['model-serving', 'regional-gateway', 'failover']) {
      const renders = new Set(charts[chart].passed.map((check) => check.file_path));
      expect(renders.size).toBe(releases.filter((release) => release.chart === chart).length);
    }
  });

  it('finds no unsuppressed failure in the Terraform of dev, staging and prod', () => {
    expect(terraform.failed.map((finding) => findingLine(finding, synthDir, 'terraform_json'))).toEqual([]);
  });

  it('finds no unsuppressed failure in the rendered charts', () => {
    const failed = Object.entries(charts).flatMap(([chart, report]) => report.failed.map((finding) => findingLine({ ...finding, file_path: `/${chart}${finding.file_path}` }, renderDir, 'kubernetes')));
    expect(failed).toEqual([]);
  });
});

describe('.checkov.yaml suppressions (Terraform)', () => {
  const suppressions = readSuppressions();

  it('give each suppression a written reason', () => {
    expect(suppressions.filter((suppression) => suppression.reason.length < 40).map((suppression) => suppression.entry)).toEqual([]);
  });

  it('scope each suppression to the stacks it concerns (checkov cannot skip single resources in Terraform JSON)', () => {
    expect(suppressions.filter((suppression) => !suppression.pathPattern?.startsWith('stacks/')).map((suppression) => suppression.entry)).toEqual([]);
    expect(suppressions.filter((suppression) => !/^CKV2?_[A-Z0-9]+_\d+$/.test(suppression.checkId)).map((suppression) => suppression.entry)).toEqual([]);
  });

  it('keep no stale suppression: each one still matches a finding checkov reports without it', () => {
    expect(suppressions.filter((suppression) => !terraformUnsuppressed.failed.some((finding) => suppresses(suppression, finding))).map((suppression) => suppression.entry)).toEqual([]);
  });

  it('are exactly what stands between the raw findings and the gate (checkov and this reading agree)', () => {
    const unsuppressed = terraformUnsuppressed.failed.filter((finding) => !suppressions.some((suppression) => suppresses(suppression, finding)));
    expect(unsuppressed.length).toBe(terraform.failed.length);
    expect(terraformUnsuppressed.failed.length).toBeGreaterThan(terraform.failed.length);
  });
});

describe('chart suppressions (each chart\'s own .checkov.yaml)', () => {
  it('give each suppression a written reason', () => {
    const unexplained = Object.entries(chartConfigs).flatMap(([chart, config]) =>
      config ? readSuppressions(config).filter((suppression) => suppression.reason.length < 40).map((suppression) => `${chart}: ${suppression.entry}`) : [],
    );
    expect(unexplained).toEqual([]);
  });
});
