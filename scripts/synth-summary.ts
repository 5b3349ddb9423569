/**
 * Prints what `cdktf synth` produced: each stack with its resource count, and
 * the resource counts per Terraform type. Reads cdktf.out (or the directory
 * given as the first argument); synthesizes nothing itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  readonly stacks: Record<string, { readonly synthesizedStackPath: string; readonly dependencies: readonly string[] }>;
}

interface StackJson {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, unknown>;
}

export interface StackSummary {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly outputs: number;
  /** Resource count per Terraform type, largest first. */
  readonly resourcesByType: ReadonlyArray<readonly [string, number]>;
  readonly resources: number;
}

export function summarize(outdir: string): StackSummary[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as Manifest;
  return Object.entries(manifest.stacks).map(([name, stack]) => {
    const json = JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), 'utf8')) as StackJson;
    const resourcesByType = Object.entries(json.resource ?? {})
      .map(([type, resources]) => [type, Object.keys(resources).length] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return {
      name,
      dependencies: stack.dependencies,
      outputs: Object.keys(json.output ?? {}).length,
      resourcesByType,
      resources: resourcesByType.reduce((total, [, count]) => total + count, 0),
    };
  });
}

export function formatSummary(outdir: string, stacks: readonly StackSummary[]): string {
  const lines = [`Synthesized ${stacks.length} stacks into ${outdir}/stacks (${stacks.reduce((total, stack) => total + stack.resources, 0)} resources)`, ''];
  for (const stack of stacks) {
    const after = stack.dependencies.length > 0 ? `, after ${stack.dependencies.join(', ')}` : '';
    lines.push(`${stack.name}: ${stack.resources} resources, ${stack.outputs} outputs${after}`);
    const width = Math.max(...stack.resourcesByType.map(([type]) => type.length));
    for (const [type, count] of stack.resourcesByType) lines.push(`  ${type.padEnd(width)}  ${String(count).padStart(3)}`);
    lines.push('');
  }
  return lines.join('\n');
}

if (require.main === module) {
  const outdir = process.argv[2] ?? 'cdktf.out';
  console.log(formatSummary(outdir, summarize(outdir)));
}
