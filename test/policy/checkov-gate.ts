/**
 * The policy gate's moving parts: synthesize environments exactly as `cdktf synth` does, render every local chart
 * those stacks install with the values they synthesize, run checkov over both, and read the suppressions of
 * `.checkov.yaml` (each with the comment that gives its reason).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';
import { appCommand, PROJECT_ROOT } from '../helpers/app-command';
import { KUBERNETES_VERSION } from '../helpers/charts';
import { toolPath } from '../helpers/tools';

export const CHECKOV_CONFIG = join(PROJECT_ROOT, '.checkov.yaml');

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without blocking the event loop, so checkov processes and helm renders overlap. */
export function runAsync(command: string, args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** Runs cdktf.json's `app` command for `environment` into `outdir`: what `SKYLINE_ENV=<environment> cdktf synth` writes. */
export async function synthesize(environment: string, outdir: string): Promise<void> {
  // cdktf creates the output directory, but not its parents.
  mkdirSync(dirname(outdir), { recursive: true });
  const { command, args } = appCommand();
  const result = await runAsync(command, args, {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SKYLINE_ENV: environment, CDKTF_OUTDIR: outdir },
  });
  if (result.status !== 0) throw new Error(`synth of ${environment} failed (exit ${result.status}):\n${result.stderr}`);
}

interface Manifest {
  readonly stacks: Record<string, { readonly synthesizedStackPath: string }>;
}

interface HelmRelease {
  readonly name: string;
  readonly namespace?: string;
  readonly chart: string;
  readonly repository?: string;
  readonly values?: readonly string[];
  readonly set?: unknown;
  readonly set_sensitive?: unknown;
}

/** A release of a chart from this repository (a cdktf asset copied into the stack's directory), as synthesized. */
export interface LocalRelease {
  readonly stack: string;
  readonly release: string;
  readonly namespace: string;
  /** Name from the chart's Chart.yaml. */
  readonly chart: string;
  readonly chartDir: string;
  /** The release's `values` documents, in order. */
  readonly values: readonly string[];
}

/** Every helm_release of the synthesized stacks in `outdir` whose chart is local (no repository). */
export function localReleases(outdir: string): LocalRelease[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as Manifest;
  return Object.entries(manifest.stacks).flatMap(([stack, { synthesizedStackPath }]) => {
    const stackFile = join(outdir, synthesizedStackPath);
    const json = JSON.parse(readFileSync(stackFile, 'utf8')) as { resource?: { helm_release?: Record<string, HelmRelease> } };
    return Object.values(json.resource?.helm_release ?? {})
      .filter((release) => release.repository === undefined)
      .map((release) => {
        // `set` values would not be rendered here, so the scan would miss what they change: refuse rather than scan less.
        if (release.set !== undefined || release.set_sensitive !== undefined) {
          throw new Error(`${stack}: release ${release.name} uses set/set_sensitive; the policy gate renders only \`values\`: pass them as values`);
        }
        const chartDir = join(dirname(stackFile), release.chart);
        const chart = (parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { name: string }).name;
        return { stack, release: release.name, namespace: release.namespace ?? 'default', chart, chartDir, values: release.values ?? [] };
      });
  });
}

/**
 * Renders each release with helm into `<renderDir>/<chart>/<stack>.yaml` (the layout the chart suppressions of
 * `.checkov.yaml` match on) and returns the files.
 */
export async function renderReleases(releases: readonly LocalRelease[], renderDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const release of releases) {
    const directory = join(renderDir, release.chart);
    mkdirSync(directory, { recursive: true });
    const valuesArgs = release.values.flatMap((values, index) => {
      const file = join(directory, `${release.stack}.values-${index}.json`);
      writeFileSync(file, withPlaceholders(values));
      return ['--values', file];
    });
    const args = ['template', release.release, release.chartDir, '--namespace', release.namespace, '--kube-version', KUBERNETES_VERSION, ...valuesArgs];
    const result = await runAsync(toolPath('helm'), args);
    if (result.status !== 0) throw new Error(`helm template of ${release.chart} for ${release.stack} failed:\n${result.stderr}`);
    const file = join(directory, `${release.stack}.yaml`);
    writeFileSync(file, result.stdout);
    files.push(file);
  }
  return files;
}

/**
 * What Terraform knows only at apply time (`${aws_iam_role.x.arn}`, another stack's output) becomes a placeholder
 * of the right shape, so that the charts' value schemas accept it. Which ARN or address it is does not change what
 * checkov looks at (security contexts, RBAC, network policies, probes...).
 */
export function withPlaceholders(values: string): string {
  return values.replace(/\$\{([^}]*)\}/g, (_, reference: string) => PLACEHOLDERS.find(([pattern]) => pattern.test(reference))?.[1] ?? 'terraform-placeholder');
}

/** By how the reference ends: an attribute name, or a cross-stack output name (which ends with the attribute). */
const PLACEHOLDERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/arn$/, 'arn:aws:iam::123456789012:role/terraform-placeholder'],
  [/^google_iam_workload_identity_pool_provider\..*\.name$/, 'projects/123456789012/locations/global/workloadIdentityPools/terraform-placeholder/providers/terraform-placeholder'],
  [/(public_ip|ip_address|address)$/, '192.0.2.1'],
  [/allocation_id$/, 'eipalloc-0123456789abcdef0'],
  [/(client_id|principal_id|tenant_id)$/, '00000000-0000-0000-0000-000000000000'],
  [/email$/, 'terraform-placeholder@terraform-placeholder.iam.gserviceaccount.com'],
  [/url$/, 'https://terraform-placeholder.example.com'],
  [/id$/, 'terraform-placeholder-0123456789abcdef0'],
];

export interface CheckovFinding {
  readonly check_id: string;
  readonly check_name: string;
  readonly resource: string;
  /** Relative to the scanned directory, with a leading `/`. */
  readonly file_path: string;
}

export interface CheckovReport {
  readonly summary: { readonly passed: number; readonly failed: number; readonly parsing_errors: number };
  readonly passed: readonly CheckovFinding[];
  readonly failed: readonly CheckovFinding[];
}

/** checkov's JSON: a report, or only the summary's counts when it found nothing it checks. */
type RawReport =
  | { readonly summary: CheckovReport['summary']; readonly results: { readonly passed_checks: CheckovFinding[]; readonly failed_checks: CheckovFinding[] } }
  | CheckovReport['summary'];

/**
 * checkov over `directory` for one framework, offline; `configFile` brings the suppressions. It runs in `directory`:
 * checkov reads a `.checkov.yaml` from its working directory by itself, which must not sneak into a run without one.
 */
export async function checkov(directory: string, framework: 'terraform_json' | 'kubernetes', configFile?: string): Promise<CheckovReport> {
  const args = ['--directory', directory, '--framework', framework, '--skip-download', '--output', 'json', '--compact'];
  if (configFile) args.push('--config-file', configFile);
  const result = await runAsync(toolPath('checkov'), args, { cwd: directory, env: { ...process.env, CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true' } });
  // 0: nothing failed, 1: something failed; anything else is checkov itself failing.
  if (result.status !== 0 && result.status !== 1) throw new Error(`checkov ${framework} over ${directory} exited ${result.status}:\n${result.stderr}`);
  const raw = JSON.parse(result.stdout) as RawReport;
  if (!('summary' in raw)) return { summary: raw, passed: [], failed: [] };
  return { summary: raw.summary, passed: raw.results.passed_checks, failed: raw.results.failed_checks };
}

/**
 * One `skip-check` entry of a checkov config: `CHECK_ID:path regex` (terraform_json) or `CHECK_ID` (a chart's own
 * config, which applies to that chart alone), with the comment above it as its reason.
 */
export interface Suppression {
  readonly entry: string;
  readonly checkId: string;
  /** checkov matches it with Python's re.search against the file path; these patterns are plain enough for JS too. */
  readonly pathPattern: string | undefined;
  readonly reason: string;
}

export function readSuppressions(configFile: string = CHECKOV_CONFIG): Suppression[] {
  const document = parseDocument(readFileSync(configFile, 'utf8'));
  if (!isMap(document.contents)) throw new Error(`${configFile}: expected a mapping of checkov settings`);
  const skipCheck = document.contents.get('skip-check', true);
  if (skipCheck === undefined) return [];
  if (!isSeq(skipCheck)) throw new Error(`${configFile}: skip-check must be a list`);
  return skipCheck.items.map((item, index) => {
    if (!isScalar(item) || typeof item.value !== 'string') throw new Error(`${configFile}: every skip-check entry must be a string such as CKV_AWS_18:stacks/...`);
    const [checkId, pathPattern] = item.value.split(':');
    // The yaml library keeps the comment above the first entry on the list itself.
    const comment = item.commentBefore ?? (index === 0 ? skipCheck.commentBefore : undefined);
    return { entry: item.value, checkId, pathPattern, reason: (comment ?? '').trim() };
  });
}

export function suppresses(suppression: Suppression, finding: CheckovFinding): boolean {
  return suppression.checkId === finding.check_id && (suppression.pathPattern === undefined || new RegExp(suppression.pathPattern).test(finding.file_path));
}

/**
 * `CHECK_ID resource file` for a finding. checkov names terraform_json resources `resource.<name>` (Python checks)
 * or `<type>.<name>` (graph checks); the type and construct path come from the synthesized JSON so that the line
 * says what to look at: `CKV_AWS_18 aws_s3_bucket.model-bucket_1A2B97EB /stacks/.../cdk.tf.json (model-bucket/bucket)`.
 */
export function findingLine(finding: CheckovFinding, scannedDir: string, framework: 'terraform_json' | 'kubernetes'): string {
  if (framework === 'kubernetes') return `${finding.check_id} ${finding.resource} ${finding.file_path}`;
  const name = finding.resource.split('.').slice(1).join('.');
  const located = locateResource(join(scannedDir, finding.file_path), name);
  const resource = located ? `${located.type}.${name}` : finding.resource;
  return `${finding.check_id} ${resource} ${finding.file_path}${located?.path ? ` (${located.path})` : ''}`;
}

const resourceIndexes = new Map<string, Map<string, { type: string; path?: string }>>();

function locateResource(stackFile: string, name: string): { type: string; path?: string } | undefined {
  let index = resourceIndexes.get(stackFile);
  if (!index) {
    index = new Map();
    const json = JSON.parse(readFileSync(stackFile, 'utf8')) as { resource?: Record<string, Record<string, { '//'?: { metadata?: { path?: string } } }>> };
    for (const [type, resources] of Object.entries(json.resource ?? {})) {
      // cdktf's logical IDs are unique within a stack, whatever the type.
      for (const [logicalId, resource] of Object.entries(resources)) index.set(logicalId, { type, path: resource['//']?.metadata?.path?.split('/').slice(1).join('/') });
    }
    resourceIndexes.set(stackFile, index);
  }
  return index.get(name);
}

/** A path relative to the project, for messages. */
export function projectPath(path: string): string {
  return relative(PROJECT_ROOT, path);
}
