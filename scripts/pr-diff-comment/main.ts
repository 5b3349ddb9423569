/**
 * The pull-request diff comment (docs/delivery.md):
 *
 *   pr-diff-comment diff --env <env> --out <plans.json> [--outdir cdktf.out]
 *     `cdktf diff <stack>` of every stack of <env>, in deploy order, from an existing synth (cdktf.out); writes the
 *     classified plans as JSON and prints each diff; exits 1 when a diff failed (after writing the file).
 *   pr-diff-comment comment --repo <owner/name> --pr <number> --commit <sha> --run-url <url> <plans.json>...
 *     builds the comment from those files and creates or updates it in place (GITHUB_TOKEN, GITHUB_API_URL).
 *   pr-diff-comment order --env <env> [--outdir cdktf.out]
 *     prints the stacks of <env> in deploy order, one per line (the deploy workflow deploys them in that order).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildComment, COMMENT_MARKER, type EnvironmentPlans } from './comment';
import { upsertComment } from './github';
import { classifyPlan, type StackPlan } from './plan-result';
import { stacksInDeployOrder } from './stacks';

const CDKTF = join(__dirname, '..', '..', 'node_modules', '.bin', 'cdktf');

/** Runs `cdktf diff` for one stack, echoing its output as it comes, and classifies it. */
export function diffStack(stack: string, outdir: string, command: string = CDKTF): Promise<StackPlan> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['diff', stack, '--skip-synth', '--no-color', '--output', outdir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(classifyPlan(stack, code ?? (signal ? 128 : 1), output)));
  });
}

export async function diffEnvironment(environment: string, outdir: string, command?: string): Promise<EnvironmentPlans> {
  const plans: StackPlan[] = [];
  // One at a time: stacks share the provider plugin cache, and the log stays readable.
  for (const stack of stacksInDeployOrder(outdir, environment)) plans.push(await diffStack(stack, outdir, command));
  return { environment, plans };
}

async function main(argv: readonly string[]): Promise<number> {
  const [mode, ...rest] = argv;
  if (mode === 'diff') {
    const { values } = parseArgs({ args: [...rest], options: { env: { type: 'string' }, out: { type: 'string' }, outdir: { type: 'string', default: 'cdktf.out' } }, strict: true });
    if (!values.env || !values.out) throw new Error('usage: pr-diff-comment diff --env <env> --out <plans.json> [--outdir cdktf.out]');
    const plans = await diffEnvironment(values.env, values.outdir ?? 'cdktf.out');
    writeFileSync(values.out, JSON.stringify(plans, null, 2));
    for (const plan of plans.plans) console.log(`${plan.stack}: ${plan.status} (${plan.summary})`);
    return plans.plans.some((plan) => plan.status === 'failed') ? 1 : 0;
  }
  if (mode === 'order') {
    const { values } = parseArgs({ args: [...rest], options: { env: { type: 'string' }, outdir: { type: 'string', default: 'cdktf.out' } }, strict: true });
    if (!values.env) throw new Error('usage: pr-diff-comment order --env <env> [--outdir cdktf.out]');
    console.log(stacksInDeployOrder(values.outdir ?? 'cdktf.out', values.env).join('\n'));
    return 0;
  }
  if (mode === 'comment') {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { repo: { type: 'string' }, pr: { type: 'string' }, commit: { type: 'string' }, 'run-url': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const issueNumber = Number(values.pr);
    if (!values.repo || !Number.isInteger(issueNumber) || issueNumber < 1 || !values.commit || !values['run-url'] || positionals.length === 0) {
      throw new Error('usage: pr-diff-comment comment --repo <owner/name> --pr <number> --commit <sha> --run-url <url> <plans.json>...');
    }
    const token = process.env.GITHUB_TOKEN;
    if (!token) throw new Error('GITHUB_TOKEN is not set: the workflow passes secrets.GITHUB_TOKEN with pull-requests: write');
    const environments = positionals.map((file) => JSON.parse(readFileSync(file, 'utf8')) as EnvironmentPlans);
    const body = buildComment(environments, { commit: values.commit, runUrl: values['run-url'] });
    const result = await upsertComment({ apiUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com', token, repository: values.repo, issueNumber }, COMMENT_MARKER, body);
    console.log(`pr-diff-comment: ${result.action} comment ${result.id} (${body.length} characters)`);
    return 0;
  }
  throw new Error('usage: pr-diff-comment diff|comment|order ... (see scripts/pr-diff-comment/main.ts)');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`pr-diff-comment: ${error.message}`);
      process.exit(2);
    },
  );
}
