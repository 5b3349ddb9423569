/**
 * Rendering this repository's charts in tests with the real helm: lint and
 * template each value set, parse the output, and write it where the
 * validators (kubernetes-validate, checkov) read it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { isCustomResource } from './crd-validation';
import { toolPath } from './tools';

/** The Kubernetes version every chart is rendered and validated for (the clusters' minor). */
export const KUBERNETES_VERSION = '1.33.0';

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], env: Record<string, string> = {}): Run {
  // checkov's JSON report, with a code block per check, outgrows the 1 MiB default.
  const result = spawnSync(command, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
}

export function parseManifests<T extends Manifest = Manifest>(yamlText: string): T[] {
  return parseAllDocuments(yamlText)
    .map((document) => document.toJS() as T | null)
    .filter((manifest): manifest is T => manifest !== null);
}

export interface ChartRenders<T extends Manifest = Manifest> {
  /** `helm lint --strict` of each value set. */
  readonly lint: Record<string, Run>;
  /** The parsed `helm template` output of each value set. */
  readonly rendered: Record<string, T[]>;
  /** `<workDir>/rendered/<name>.yaml`: everything (checkov reads this directory). */
  readonly renderedDir: string;
  /** `<workDir>/builtin/<name>.yaml`: built-in kinds only (kubernetes-validate reads these). */
  builtinFile(name: string): string;
  readonly workDir: string;
  /** Removes the work directory. */
  cleanUp(): void;
}

/**
 * Lints and renders `chartDir` for each value set (`undefined` = the chart's own defaults); throws when
 * `helm template` fails, with helm's message.
 */
export function renderChart<T extends Manifest = Manifest>(options: {
  readonly chartDir: string;
  readonly release: string;
  readonly namespace: string;
  readonly valueSets: Readonly<Record<string, object | undefined>>;
}): ChartRenders<T> {
  const workDir = mkdtempSync(join(tmpdir(), `${options.release}-chart-`));
  const renderedDir = join(workDir, 'rendered');
  mkdirSync(renderedDir);
  mkdirSync(join(workDir, 'builtin'));
  const lint: Record<string, Run> = {};
  const rendered: Record<string, T[]> = {};
  const builtinFile = (name: string) => join(workDir, 'builtin', `${name}.yaml`);
  for (const [name, values] of Object.entries(options.valueSets)) {
    const valuesArgs: string[] = [];
    if (values !== undefined) {
      const valuesFile = join(workDir, `${name}.values.yaml`);
      writeFileSync(valuesFile, stringify(values));
      valuesArgs.push('--values', valuesFile);
    }
    const args = [options.chartDir, '--namespace', options.namespace, '--kube-version', KUBERNETES_VERSION, ...valuesArgs];
    lint[name] = run(toolPath('helm'), ['lint', '--strict', ...args]);
    const template = run(toolPath('helm'), ['template', options.release, ...args]);
    if (template.status !== 0) throw new Error(`helm template failed for ${name}:\n${template.stderr}`);
    writeFileSync(join(renderedDir, `${name}.yaml`), template.stdout);
    rendered[name] = parseManifests<T>(template.stdout);
    writeFileSync(builtinFile(name), rendered[name].filter((manifest) => !isCustomResource(manifest)).map((manifest) => stringify(manifest)).join('---\n'));
  }
  return { lint, rendered, renderedDir, builtinFile, workDir, cleanUp: () => rmSync(workDir, { recursive: true, force: true }) };
}

/** The lines kubernetes-validate prints for `files`, strict, against KUBERNETES_VERSION's schemas. */
export function kubernetesValidate(files: readonly string[]): string[] {
  const result = run(toolPath('kubernetesValidate'), ['--strict', '--kubernetes-version', KUBERNETES_VERSION, ...files]);
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}

/** The line kubernetes-validate prints for an object that passed. */
export function validatedLine(file: string, manifest: Manifest): string {
  return `INFO ${file} passed for resource ${manifest.kind.toLowerCase()}/${manifest.metadata.name} against version ${KUBERNETES_VERSION.split('.').slice(0, 2).join('.')}`;
}

export interface CheckovReport {
  readonly summary: { readonly passed: number; readonly failed: number; readonly parsing_errors: number };
  readonly results: { readonly passed_checks: CheckResult[]; readonly failed_checks: CheckResult[] };
}
export interface CheckResult {
  readonly check_id: string;
  readonly resource: string;
  readonly file_path: string;
}

/** checkov's Kubernetes checks over a directory of rendered manifests, offline. */
export function checkovKubernetes(directory: string, configFile?: string): CheckovReport {
  const result = run(
    toolPath('checkov'),
    ['--directory', directory, '--framework', 'kubernetes', ...(configFile ? ['--config-file', configFile] : []), '--skip-download', '--output', 'json'],
    // No newer-version lookup on PyPI.
    { CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true' },
  );
  return JSON.parse(result.stdout) as CheckovReport;
}
