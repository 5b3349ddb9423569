import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stacksInDeployOrder } from '../../../scripts/pr-diff-comment/stacks';
import { synthesize } from '../../policy/checkov-gate';

describe('stacksInDeployOrder', () => {
  const outdir = join(mkdtempSync(join(tmpdir(), 'skyline-stacks-')), 'dev');

  beforeAll(() => synthesize('dev', outdir), 60_000);

  it('orders the synthesized stacks of an environment infra, workloads, global, and leaves out the bootstrap stack', () => {
    expect(stacksInDeployOrder(outdir, 'dev')).toEqual([
      'dev-aws-us-west-2-infra',
      'dev-azure-centralindia-infra',
      'dev-gcp-europe-west1-infra',
      'dev-aws-us-west-2-workloads',
      'dev-azure-centralindia-workloads',
      'dev-gcp-europe-west1-workloads',
      'dev-global',
    ]);
  });

  it('says how to fix a synth of another environment', () => {
    expect(() => stacksInDeployOrder(outdir, 'prod')).toThrow(`${outdir}/manifest.json has no stack of environment prod: synthesize it with SKYLINE_ENV=prod`);
  });

  it('refuses a dependency cycle', () => {
    const cyclic = mkdtempSync(join(tmpdir(), 'skyline-cycle-'));
    mkdirSync(cyclic, { recursive: true });
    writeFileSync(join(cyclic, 'manifest.json'), JSON.stringify({ stacks: { 'dev-a': { dependencies: ['dev-b'] }, 'dev-b': { dependencies: ['dev-a'] } } }));
    expect(() => stacksInDeployOrder(cyclic, 'dev')).toThrow('stack dependency cycle through dev-a');
  });
});
