/**
 * What one `cdktf diff` of one stack said, classified from its exit code and Terraform's plan text.
 */

export type PlanStatus = 'changed' | 'unchanged' | 'failed';

export interface StackPlan {
  readonly stack: string;
  readonly status: PlanStatus;
  /** One line: Terraform's `Plan: ...` line, `No changes.`, `outputs only`, or why the diff failed. */
  readonly summary: string;
  /** Resources the plan destroys (replacements included): what a reviewer must not miss. */
  readonly destroys: number;
  /** The diff's output without cdktf's stack-name prefixes. */
  readonly output: string;
}

const PLAN_LINE = /^Plan: (?:\d+ to import, )?\d+ to add, \d+ to change, (\d+) to destroy\.$/m;
const NO_CHANGES = /^No changes\. /m;
const OUTPUTS_ONLY = /^Changes to Outputs:$/m;
// Terraform's error block starts "Error: <summary>", after a box-drawing character in its default output.
const ERROR_LINE = /^(?:[│╷]\s*)?Error: (.+)$/m;

/**
 * Classifies one stack's diff. A failed command is `failed` whatever it printed; output that matches none of
 * Terraform's plan endings is `failed` too, never assumed unchanged.
 */
export function classifyPlan(stack: string, exitCode: number, rawOutput: string): StackPlan {
  const output = withoutStackPrefix(stack, rawOutput);
  if (exitCode !== 0) {
    return { stack, status: 'failed', summary: `diff failed (exit ${exitCode}): ${ERROR_LINE.exec(output)?.[1].trim() ?? 'see the plan output'}`, destroys: 0, output };
  }
  const plan = PLAN_LINE.exec(output);
  if (plan) return { stack, status: 'changed', summary: plan[0], destroys: Number(plan[1]), output };
  if (NO_CHANGES.test(output)) return { stack, status: 'unchanged', summary: 'No changes.', destroys: 0, output };
  if (OUTPUTS_ONLY.test(output)) return { stack, status: 'changed', summary: 'Changes to outputs only.', destroys: 0, output };
  return { stack, status: 'failed', summary: 'unrecognized diff output: no plan summary found', destroys: 0, output };
}

/**
 * cdktf prints each chunk of a stack's Terraform output as `<stack>  <chunk>`, the chunk's further lines indented to
 * the same column: both prefixes go, the plan's own indentation stays.
 */
function withoutStackPrefix(stack: string, output: string): string {
  const continuation = ' '.repeat(stack.length + 2);
  return output
    .split('\n')
    .map((line) => (line.startsWith(`${stack}  `) || line.startsWith(continuation) ? line.slice(stack.length + 2) : line).trimEnd())
    .join('\n')
    .trim();
}
