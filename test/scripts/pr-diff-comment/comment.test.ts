import { buildComment, COMMENT_MARKER, MAX_COMMENT_CHARS, type EnvironmentPlans } from '../../../scripts/pr-diff-comment/comment';
import type { StackPlan } from '../../../scripts/pr-diff-comment/plan-result';

const context = { commit: '0123456789abcdef0123456789abcdef01234567', runUrl: 'https://github.com/example/skyline/actions/runs/42' };

function plan(stack: string, status: StackPlan['status'], summary: string, output: string, destroys = 0): StackPlan {
  return { stack, status, summary, destroys, output };
}

const dev: EnvironmentPlans = {
  environment: 'dev',
  plans: [
    plan('dev-aws-us-west-2-infra', 'unchanged', 'No changes.', 'No changes. Your infrastructure matches the configuration.'),
    plan('dev-global', 'changed', 'Plan: 1 to add, 0 to change, 1 to destroy.', '  # aws_route53_record.api will be replaced\nPlan: 1 to add, 0 to change, 1 to destroy.', 1),
  ],
};
const prod: EnvironmentPlans = {
  environment: 'prod',
  plans: [plan('prod-gcp-europe-west1-infra', 'failed', 'diff failed (exit 1): could not find default credentials | retry', '│ Error: could not find default credentials')],
};

describe('buildComment', () => {
  const body = buildComment([dev, prod], context);

  it('starts with the hidden marker that finds it again, and names the commit and run', () => {
    expect(body.startsWith(`${COMMENT_MARKER}\n## Infrastructure diff`)).toBe(true);
    expect(body).toContain('at 0123456789ab, against the recorded state');
    expect(body).toContain('[Workflow run](https://github.com/example/skyline/actions/runs/42)');
  });

  it('has a table per environment: each stack changed, unchanged or failed, with its summary and destroys flagged', () => {
    expect(body).toContain('### dev\n\n| stack | result | plan |\n|---|---|---|\n| `dev-aws-us-west-2-infra` | unchanged | No changes. |\n| `dev-global` | changed :warning: destroys 1 | Plan: 1 to add, 0 to change, 1 to destroy. |');
    expect(body).toContain('| `prod-gcp-europe-west1-infra` | **failed** | diff failed (exit 1): could not find default credentials \\| retry |');
  });

  it('folds the plan of every changed or failed stack, and nothing for unchanged ones', () => {
    expect(body).toContain('<details><summary><code>dev-global</code>: changed</summary>\n\n```\n  # aws_route53_record.api will be replaced');
    expect(body).toContain('<details><summary><code>prod-gcp-europe-west1-infra</code>: failed</summary>');
    expect(body).not.toContain('<code>dev-aws-us-west-2-infra</code>');
  });

  it('fences a plan with a longer fence than any backtick run in it', () => {
    const tricky = buildComment([{ environment: 'dev', plans: [plan('dev-global', 'changed', 'Plan: 1 to add, 0 to change, 0 to destroy.', 'value = "```x````"')] }], context);
    expect(tricky).toContain('`````\nvalue = "```x````"\n`````');
  });

  it('stays under GitHub\'s size limit by cutting long plans, pointing at the run for the rest', () => {
    const huge = 'x'.repeat(50_000);
    const big = buildComment([{ environment: 'prod', plans: ['a', 'b', 'c'].map((name) => plan(`prod-${name}`, 'changed', 'Plan: 900 to add, 0 to change, 0 to destroy.', huge)) }], context);
    expect(big.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(big.match(/… cut here: the whole plan is in the \[workflow run\]\(https:\/\/github.com\/example\/skyline\/actions\/runs\/42\)\./g)).toHaveLength(3);
    expect(big.match(/<\/details>/g)).toHaveLength(3);
    // A short plan is never cut.
    expect(body).not.toContain('cut here');
  });
});
