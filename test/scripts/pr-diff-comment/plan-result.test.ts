import { classifyPlan } from '../../../scripts/pr-diff-comment/plan-result';

/** How cdktf prints a chunk of a stack's Terraform output: `<stack>  ` before its first line, the rest aligned under it. */
function cdktfOutput(stack: string, lines: readonly string[]): string {
  return lines.map((line, index) => `${index === 0 ? stack : ' '.repeat(stack.length)}  ${line}`).join('\n');
}

const CHANGED = cdktfOutput('dev-global', [
  'Terraform used the selected providers to generate the following execution plan.',
  'Resource actions are indicated with the following symbols:',
  '  + create',
  '-/+ destroy and then create replacement',
  '',
  'Terraform will perform the following actions:',
  '',
  '  # aws_route53_record.control-aws-us-west-2 will be created',
  '  + resource "aws_route53_record" "control-aws-us-west-2" {',
  '      + name = "us-west-2.control.ml.example.com"',
  '    }',
  '',
  'Plan: 2 to add, 1 to change, 1 to destroy.',
]);

describe('classifyPlan', () => {
  it('reads a plan with changes: its summary line, how much it destroys, the text without cdktf\'s prefixes', () => {
    const plan = classifyPlan('dev-global', 0, CHANGED);
    expect(plan).toMatchObject({ stack: 'dev-global', status: 'changed', summary: 'Plan: 2 to add, 1 to change, 1 to destroy.', destroys: 1 });
    expect(plan.output).toMatch(/^Terraform used the selected providers/);
    expect(plan.output).not.toContain('dev-global  ');
    expect(plan.output).toContain('\n-/+ destroy and then create replacement\n');
    expect(plan.output).toContain('  # aws_route53_record.control-aws-us-west-2 will be created');
  });

  it('strips the prefix of lines that each start with the stack name too', () => {
    const plan = classifyPlan('dev-global', 0, ['dev-global  Plan: 1 to add, 0 to change, 0 to destroy.', 'dev-global    + resource "x" "y" {'].join('\n'));
    expect(plan.output).toBe('Plan: 1 to add, 0 to change, 0 to destroy.\n  + resource "x" "y" {');
  });

  it('reads the import form of the summary line', () => {
    const plan = classifyPlan('dev-global', 0, cdktfOutput('dev-global', ['Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.']));
    expect(plan).toMatchObject({ status: 'changed', destroys: 0 });
  });

  it('reads a plan without changes', () => {
    const plan = classifyPlan('dev-aws-us-west-2-infra', 0, cdktfOutput('dev-aws-us-west-2-infra', ['No changes. Your infrastructure matches the configuration.', '', 'Terraform has compared your real infrastructure against your configuration and found no differences, so no changes are needed.']));
    expect(plan).toMatchObject({ status: 'unchanged', summary: 'No changes.', destroys: 0 });
  });

  it('counts a change of outputs alone as a change', () => {
    const plan = classifyPlan('dev-global', 0, cdktfOutput('dev-global', ['Changes to Outputs:', '  + dnssec-ds-record = (known after apply)', '', 'You can apply this plan to save these new output values to the Terraform state, without changing any real infrastructure.']));
    expect(plan).toMatchObject({ status: 'changed', summary: 'Changes to outputs only.' });
  });

  it('reports a failed diff with Terraform\'s error, whatever else it printed', () => {
    const output = cdktfOutput('prod-gcp-europe-west1-infra', ['╷', '│ Error: storage.NewClient() failed: dialing: google: could not find default credentials.', '│', '╵', 'Plan: 1 to add, 0 to change, 0 to destroy.']);
    const plan = classifyPlan('prod-gcp-europe-west1-infra', 1, output);
    expect(plan.status).toBe('failed');
    expect(plan.summary).toBe('diff failed (exit 1): storage.NewClient() failed: dialing: google: could not find default credentials.');
  });

  it('never takes output it cannot read for "unchanged"', () => {
    expect(classifyPlan('dev-global', 0, 'dev-global  Initializing the backend...')).toMatchObject({ status: 'failed', summary: 'unrecognized diff output: no plan summary found' });
  });
});
