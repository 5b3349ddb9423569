/** The pull-request comment: one table per environment, each changed or failed stack's plan folded below it. */
import type { StackPlan } from './plan-result';

/** Finds the comment again on the next push: it is updated in place, never posted twice. */
export const COMMENT_MARKER = '<!-- skyline-pr-diff -->';

/** GitHub refuses comment bodies over 65,536 characters; the rest of the budget is headroom. */
export const MAX_COMMENT_CHARS = 65_000;

export interface EnvironmentPlans {
  readonly environment: string;
  readonly plans: readonly StackPlan[];
}

export interface CommentContext {
  /** The commit the plans were made from. */
  readonly commit: string;
  /** Where the complete plans are (the workflow run), linked when a plan had to be shortened. */
  readonly runUrl: string;
}

const STATUS_LABEL: Readonly<Record<StackPlan['status'], string>> = { changed: 'changed', unchanged: 'unchanged', failed: '**failed**' };

export function buildComment(environments: readonly EnvironmentPlans[], context: CommentContext): string {
  const head = [
    COMMENT_MARKER,
    '## Infrastructure diff',
    '',
    `\`cdktf diff\` of every stack at ${context.commit.slice(0, 12)}, against the recorded state (no refresh, no lock). [Workflow run](${context.runUrl})`,
    '',
  ];
  const tables = environments.flatMap(({ environment, plans }) => [
    `### ${environment}`,
    '',
    '| stack | result | plan |',
    '|---|---|---|',
    ...plans.map((plan) => `| \`${plan.stack}\` | ${STATUS_LABEL[plan.status]}${plan.destroys > 0 ? ` :warning: destroys ${plan.destroys}` : ''} | ${escapeCell(plan.summary)} |`),
    '',
  ]);
  const folded = environments.flatMap(({ plans }) => plans.filter((plan) => plan.status !== 'unchanged'));
  const fixed = [...head, ...tables].join('\n');
  // Share what is left (less a newline per section) equally between the folded plans; each is cut to its share,
  // with a pointer to the run.
  const share = folded.length > 0 ? Math.floor((MAX_COMMENT_CHARS - fixed.length - folded.length) / folded.length) : 0;
  const sections = folded.map((plan) => foldedPlan(plan, share, context.runUrl));
  return [fixed, ...sections].join('\n');
}

function foldedPlan(plan: StackPlan, budget: number, runUrl: string): string {
  const open = `<details><summary><code>${plan.stack}</code>: ${plan.status}</summary>\n\n`;
  const close = '\n</details>\n';
  // A fence longer than any backtick run in the plan, so the plan cannot close it.
  const fence = '`'.repeat(Math.max(3, ...[...plan.output.matchAll(/`+/g)].map((match) => match[0].length + 1)));
  const note = `\n… cut here: the whole plan is in the [workflow run](${runUrl}).`;
  const room = budget - open.length - close.length - 2 * fence.length - 2 - note.length;
  const text = plan.output.length <= room + note.length ? plan.output : `${plan.output.slice(0, Math.max(0, room))}${note}`;
  return `${open}${fence}\n${text}\n${fence}${close}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
