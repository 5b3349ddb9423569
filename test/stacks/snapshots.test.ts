import { Testing } from 'cdktf';
import { loadEnvironment } from '../../stacks/environments/load';
import { ENVIRONMENT_NAMES } from '../../stacks/environments/schema';
import { addEnvironment } from '../../stacks/skyline-app';

/**
 * One snapshot per stack per environment: a guard against unreviewed plan
 * changes. The properties that matter are asserted in the construct and stack
 * tests; read a snapshot diff before updating it (`npx jest -u`).
 */
describe.each(ENVIRONMENT_NAMES)('%s environment', (name) => {
  const app = Testing.app();
  const stacks = addEnvironment(app, loadEnvironment(name));

  it('has the three regional infra stacks', () => {
    expect(stacks.map((stack) => stack.node.id)).toEqual([`${name}-aws-us-west-2-infra`, `${name}-gcp-europe-west1-infra`, `${name}-azure-centralindia-infra`]);
  });

  it.each(stacks.map((stack) => [stack.node.id, stack] as const))('%s matches its snapshot', (_id, stack) => {
    expect(JSON.parse(Testing.synth(stack))).toMatchSnapshot();
  });
});
