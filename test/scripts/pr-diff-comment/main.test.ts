/**
 * The diff runner with a stand-in for the cdktf CLI (Terraform and the providers' registry are out of reach here;
 * the pull-request workflow runs the real one): each stack is diffed once, in deploy order, with the flags that use
 * the existing synth, and each result is classified.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffEnvironment } from '../../../scripts/pr-diff-comment/main';
import { synthesize } from '../../policy/checkov-gate';

describe('diffEnvironment', () => {
  const work = mkdtempSync(join(tmpdir(), 'skyline-diff-'));
  const outdir = join(work, 'cdktf.out');
  const calls = join(work, 'calls.log');
  const standIn = join(work, 'cdktf');

  beforeAll(async () => {
    await synthesize('dev', outdir);
    // Records its arguments; the global stack's plan fails, the GCP infra stack changes, the rest are unchanged.
    writeFileSync(
      standIn,
      `#!/bin/sh
echo "$@" >> '${calls}'
case "$2" in
  dev-global) echo "$2  │ Error: no valid credential sources for S3 Backend found."; exit 1 ;;
  dev-gcp-europe-west1-infra) echo "$2  Plan: 1 to add, 0 to change, 0 to destroy." ;;
  *) echo "$2  No changes. Your infrastructure matches the configuration." ;;
esac
`,
    );
    chmodSync(standIn, 0o755);
  }, 60_000);

  it('diffs every stack once, in deploy order, from the existing synth, and classifies each', async () => {
    const result = await diffEnvironment('dev', outdir, standIn);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(
      result.plans.map((plan) => `diff ${plan.stack} --skip-synth --no-color --output ${outdir}`),
    );
    expect(result.plans.map((plan) => [plan.stack, plan.status])).toEqual([
      ['dev-aws-us-west-2-infra', 'unchanged'],
      ['dev-azure-centralindia-infra', 'unchanged'],
      ['dev-gcp-europe-west1-infra', 'changed'],
      ['dev-aws-us-west-2-workloads', 'unchanged'],
      ['dev-azure-centralindia-workloads', 'unchanged'],
      ['dev-gcp-europe-west1-workloads', 'unchanged'],
      ['dev-global', 'failed'],
    ]);
    expect(result.plans.at(-1)?.summary).toBe('diff failed (exit 1): no valid credential sources for S3 Backend found.');
  });
});
