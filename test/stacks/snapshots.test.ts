import { ENVIRONMENT_NAMES } from '../../stacks/environments/schema';
import { synthEnvironment } from '../helpers/synth';

/**
 * One snapshot per stack per environment, synthesized as `cdktf synth` does
 * (cross-stack references resolved): a guard against unreviewed plan changes.
 * The properties that matter are asserted in the construct and stack tests;
 * read a snapshot diff before updating it (`npx jest -u`).
 */
describe.each(ENVIRONMENT_NAMES)('%s environment', (name) => {
  const stacks = synthEnvironment(name);

  it('has an infra and a workloads stack per region, the global stack and the bootstrap stack', () => {
    expect(Object.keys(stacks).sort()).toEqual(
      [
        ...['aws-us-west-2', 'azure-centralindia', 'gcp-europe-west1'].flatMap((region) => [`${name}-${region}-infra`, `${name}-${region}-workloads`]),
        `${name}-global`,
        `bootstrap-${name}`,
      ].sort(),
    );
  });

  it.each(Object.keys(stacks).sort())('%s matches its snapshot', (stackName) => {
    expect(stacks[stackName]).toMatchSnapshot();
  });
});
