/**
 * The GitHub Actions workflows: actionlint (with shellcheck on every `run:` script) finds nothing, the composite
 * actions' scripts pass shellcheck, every third-party action is pinned by commit, no long-lived secret is used,
 * and the deploy order, environments and OIDC subjects match what the bootstrap stack trusts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { githubSubjects } from '../../constructs/bootstrap/github-oidc';
import { EMBEDDED_ENVIRONMENTS, loadEnvironment } from '../../stacks/environments/load';
import { ENVIRONMENT_NAMES } from '../../stacks/environments/schema';
import { PROJECT_ROOT } from '../helpers/app-command';

const GITHUB_DIR = join(PROJECT_ROOT, '.github');
const WORKFLOWS_DIR = join(GITHUB_DIR, 'workflows');
const ACTIONLINT = join(PROJECT_ROOT, '.tools', 'bin', 'actionlint');
const TOOLS_BIN = join(PROJECT_ROOT, '.tools', 'venv', 'bin');

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly uses?: string;
  readonly needs?: string | string[];
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
  readonly with?: Record<string, string>;
  readonly strategy?: { matrix: { include: { environment: string; variable: string }[] } };
  readonly steps?: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const workflowFiles = readdirSync(WORKFLOWS_DIR).filter((file) => file.endsWith('.yml'));
const workflow = (file: string) => parse(readFileSync(join(WORKFLOWS_DIR, file), 'utf8')) as Workflow;
const actionFiles = readdirSync(join(GITHUB_DIR, 'actions')).map((name) => join(GITHUB_DIR, 'actions', name, 'action.yml'));
const allYaml = [...workflowFiles.map((file) => join(WORKFLOWS_DIR, file)), ...actionFiles];

interface LintError {
  readonly message: string;
  readonly filepath: string;
  readonly line: number;
  readonly kind: string;
}

function actionlint(cwd: string, files: readonly string[]): LintError[] {
  if (!existsSync(ACTIONLINT)) throw new Error(`actionlint is not installed at ${ACTIONLINT}: run \`bash scripts/install-tools.sh\``);
  // shellcheck (from the tools venv) on the PATH is what makes actionlint check the `run:` scripts.
  const result = spawnSync(ACTIONLINT, ['-no-color', '-format', '{{json .}}', ...files], { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${TOOLS_BIN}:${process.env.PATH}` } });
  if (result.error) throw result.error;
  if (result.status !== 0 && result.status !== 1) throw new Error(`actionlint failed (exit ${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout || '[]') as LintError[];
}

describe('GitHub workflows', () => {
  it('pass actionlint, shellcheck included', () => {
    const errors = actionlint(PROJECT_ROOT, workflowFiles.map((file) => join('.github', 'workflows', file)));
    expect(errors.map((error) => `${error.filepath}:${error.line} [${error.kind}] ${error.message}`)).toEqual([]);
  });

  it('would fail actionlint with a mistake in them (the lint is not vacuous)', () => {
    const repo = mkdtempSync(join(tmpdir(), 'skyline-actionlint-'));
    const broken = join(repo, 'broken.yml');
    writeFileSync(broken, 'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo $UNQUOTED ${{ github.event.head_commit.message }}\n');
    const kinds = actionlint(repo, [broken]).map((error) => error.kind);
    expect(kinds).toEqual(expect.arrayContaining(['shellcheck', 'expression']));
  });

  it('keep composite actions\' bash scripts clean under shellcheck', () => {
    const problems = actionFiles.flatMap((file) => {
      const action = parse(readFileSync(file, 'utf8')) as { runs: { steps: Step[] } };
      return action.runs.steps
        .filter((step) => step.run)
        .flatMap((step) => {
          expect(step.shell).toBe('bash');
          // GitHub runs composite bash steps as `bash -e {0}` with pipefail; scripts take inputs through env only.
          expect(step.run).not.toMatch(/\$\{\{/);
          const script = join(mkdtempSync(join(tmpdir(), 'skyline-shellcheck-')), 'step.sh');
          writeFileSync(script, `#!/usr/bin/env bash\nset -eo pipefail\n${step.run}`);
          const result = spawnSync(join(TOOLS_BIN, 'shellcheck'), ['--format', 'gcc', script], { encoding: 'utf8' });
          return result.status === 0 ? [] : [`${file} (${step.name ?? step.run?.split('\n')[0]}): ${result.stdout}`];
        });
    });
    expect(problems).toEqual([]);
  });

  it('pin every third-party action by full commit SHA, with the version in a comment', () => {
    const uses = allYaml.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /^\s*(- )?uses: /.test(line))
        .map((line) => ({ file, line: line.trim().replace(/^- /, '') })),
    );
    const remote = uses.filter(({ line }) => !line.startsWith('uses: ./'));
    expect(remote.length).toBeGreaterThan(10);
    expect(remote.filter(({ line }) => !/^uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/.test(line))).toEqual([]);
  });

  it('use no long-lived secret: cloud access is OIDC only, and the one secret is the job\'s own GITHUB_TOKEN', () => {
    const secrets = allYaml.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/secrets\.([A-Za-z_]+)/g)].map((match) => match[1]));
    expect(new Set(secrets)).toEqual(new Set(['GITHUB_TOKEN']));
    for (const file of allYaml) expect(readFileSync(file, 'utf8')).not.toMatch(/aws-access-key-id|aws-secret-access-key|credentials_json|client-secret|ARM_CLIENT_SECRET/);
  });

  it('never run a fork\'s code with the repository\'s trust: pull_request only, fork pull requests get no diff', () => {
    for (const file of workflowFiles) expect(Object.keys(workflow(file).on)).not.toContain('pull_request_target');
    expect(workflow('pull-request.yml').jobs.diff).toMatchObject({ if: 'github.event.pull_request.head.repo.full_name == github.repository' });
    for (const file of workflowFiles) expect(workflow(file).permissions).toEqual({ contents: 'read' });
  });
});

describe('pull-request workflow', () => {
  const pullRequest = workflow('pull-request.yml');

  it('runs lint, type check, tests, a synth of every environment and the policy gate', () => {
    const runs = pullRequest.jobs.test.steps!.map((step) => step.run ?? '');
    expect(runs).toEqual(expect.arrayContaining(['bash scripts/install-tools.sh', 'npx eslint .', 'npx tsc --noEmit', "npx jest --ci --testPathIgnorePatterns '/test/policy/'", 'npm run policy']));
    expect(runs.find((run) => run.includes('cdktf synth'))).toContain('for environment in dev staging prod');
  });

  it('diffs every environment with the read-only plan identity, and one job comments', () => {
    const { diff, comment } = pullRequest.jobs;
    expect(diff.strategy!.matrix.include.map((entry) => entry.environment)).toEqual([...ENVIRONMENT_NAMES]);
    expect(diff.strategy!.matrix.include.every((entry) => entry.variable === entry.environment.toUpperCase())).toBe(true);
    expect(diff.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(diff.steps!.find((step) => step.uses === './.github/actions/cloud-access')?.with?.identity).toBe('plan');
    expect(diff.steps!.find((step) => step.run?.includes('pr-diff-comment -- diff'))?.env).toEqual({ TF_CLI_ARGS_plan: '-refresh=false -lock=false' });
    expect(comment.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(comment.needs).toBe('diff');
  });
});

describe('deploy workflow', () => {
  const deploy = workflow('deploy.yml');
  const environmentJob = workflow('deploy-environment.yml').jobs.deploy;

  it('deploys dev on every merge to main, then staging, then prod, one after the other', () => {
    expect(deploy.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(Object.entries(deploy.jobs).map(([name, job]) => [name, job.needs, job.with?.environment, job.uses])).toEqual([
      ['dev', undefined, 'dev', './.github/workflows/deploy-environment.yml'],
      ['staging', 'dev', 'staging', './.github/workflows/deploy-environment.yml'],
      ['prod', 'staging', 'prod', './.github/workflows/deploy-environment.yml'],
    ]);
  });

  it('runs each environment in its GitHub environment, whose name is the OIDC subject the deploy identities trust', () => {
    expect(environmentJob.environment).toBe('${{ inputs.environment }}');
    expect(environmentJob.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(environmentJob.steps!.find((step) => step.uses === './.github/actions/cloud-access')?.with?.identity).toBe('deploy');
    for (const name of ENVIRONMENT_NAMES) {
      const { delivery } = loadEnvironment(name);
      expect(delivery.githubEnvironment).toBe(deploy.jobs[name].with!.environment);
      expect(githubSubjects(delivery.githubRepository, delivery.githubEnvironment).deploy).toBe(`repo:${delivery.githubRepository}:environment:${name}`);
      expect(EMBEDDED_ENVIRONMENTS[name].delivery.githubRepository).toBe(delivery.githubRepository);
    }
  });

  it('gates the deploy on the policy scan of exactly what it deploys, then deploys stack by stack in order', () => {
    const runs = environmentJob.steps!.map((step) => step.run ?? '');
    const gate = runs.findIndex((run) => run.includes('checkov'));
    const deployStep = runs.findIndex((run) => run.includes('cdktf deploy'));
    expect(gate).toBeGreaterThan(runs.indexOf('npx cdktf synth'));
    expect(deployStep).toBeGreaterThan(gate);
    expect(runs[gate]).toContain('--framework terraform_json --config-file .checkov.yaml');
    expect(runs[deployStep]).toContain('pr-diff-comment -- order --env "$SKYLINE_ENV"');
    expect(runs[deployStep]).toContain('npx cdktf deploy "$stack" --skip-synth --auto-approve --ignore-missing-stack-dependencies');
  });

  it('installs the same checkov as the test suite', () => {
    const pinned = /CHECKOV_VERSION=(\S+)/.exec(readFileSync(join(PROJECT_ROOT, 'scripts', 'install-tools.sh'), 'utf8'))![1];
    expect(readFileSync(join(WORKFLOWS_DIR, 'deploy-environment.yml'), 'utf8')).toContain(`checkov==${pinned}`);
  });
});
