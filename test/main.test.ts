import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSummary, summarize } from '../scripts/synth-summary';
import { appCommand, PROJECT_ROOT } from './helpers/app-command';

/** Runs cdktf.json's `app` command, as `cdktf synth` does, into a fresh output directory. */
function synth(env: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'skyline-synth-'));
  const { command, args } = appCommand();
  const result = spawnSync(command, args, {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, ...env },
  });
  return { ...result, outdir };
}

describe('main.ts', () => {
  it('synthesizes dev, the default, with no setup at all', () => {
    const result = synth({});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const stacks = summarize(result.outdir);
    expect(stacks.map((stack) => stack.name).sort()).toEqual(
      ['bootstrap-dev', 'dev-global', ...['aws-us-west-2', 'azure-centralindia', 'gcp-europe-west1'].flatMap((region) => [`dev-${region}-infra`, `dev-${region}-workloads`])].sort(),
    );
    expect(stacks.every((stack) => stack.resources > 10)).toBe(true);
  });

  it('synthesizes the environment SKYLINE_ENV names, and the summary counts its resources per type', () => {
    const result = synth({ SKYLINE_ENV: 'prod' });
    expect(result.status).toBe(0);
    const stacks = summarize(result.outdir);
    const aws = stacks.find((stack) => stack.name === 'prod-aws-us-west-2-infra')!;
    expect(aws.resourcesByType).toEqual(expect.arrayContaining([['aws_nat_gateway', 3], ['aws_eks_node_group', 3], ['aws_eks_cluster', 1]]));
    const summary = formatSummary(result.outdir, stacks);
    expect(summary).toMatch(/^Synthesized 8 stacks into .* \(\d+ resources\)/);
    // Every workloads stack reads all three infra stacks: the failover controller probes every region.
    expect(summary).toMatch(/prod-aws-us-west-2-workloads: \d+ resources, \d+ outputs, after prod-aws-us-west-2-infra, prod-gcp-europe-west1-infra, prod-azure-centralindia-infra\n/);
    expect(summary).toMatch(/prod-gcp-europe-west1-infra: \d+ resources, \d+ outputs\n {2}\S+ +\d+/);
    const json = JSON.parse(readFileSync(join(result.outdir, 'stacks', 'prod-aws-us-west-2-infra', 'cdk.tf.json'), 'utf8'));
    expect(json.terraform.backend.s3.key).toBe('skyline/prod-aws-us-west-2-infra.tfstate');
  });

  it('applies SKYLINE_* overrides', () => {
    const result = synth({ SKYLINE_AWS_ACCOUNT_ID: '999999999999' });
    expect(result.status).toBe(0);
    const json = JSON.parse(readFileSync(join(result.outdir, 'stacks', 'dev-aws-us-west-2-infra', 'cdk.tf.json'), 'utf8'));
    expect(json.provider.aws[0].allowed_account_ids).toEqual(['999999999999']);
  });

  it('exits 1 with the list of problems, not a stack trace, on a bad config', () => {
    const result = synth({ SKYLINE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Invalid environment config "production" (1 problem):\n  - SKYLINE_ENV: is not an environment; set it to one of dev, staging, prod (got "production")',
    );
    const missingFile = synth({ SKYLINE_CONFIG: '/nonexistent.json' });
    expect(missingFile.status).toBe(1);
    expect(missingFile.stderr).toMatch(/^SKYLINE_CONFIG: cannot read "\/nonexistent.json"/);
  });
});
