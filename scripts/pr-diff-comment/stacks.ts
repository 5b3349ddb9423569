/** Which stacks a pull request plans, and in which order: from the manifest `cdktf synth` writes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  readonly stacks: Record<string, { readonly dependencies: readonly string[] }>;
}

/**
 * The stacks of `environment` (`<env>-*`: the bootstrap stack is a person's to plan and apply), each after the
 * stacks it depends on (infra, workloads, global), alphabetical where the order is free.
 */
export function stacksInDeployOrder(outdir: string, environment: string): string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as Manifest;
  const selected = Object.keys(manifest.stacks)
    .filter((name) => name.startsWith(`${environment}-`))
    .sort();
  if (selected.length === 0) throw new Error(`${outdir}/manifest.json has no stack of environment ${environment}: synthesize it with SKYLINE_ENV=${environment}`);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (ordered.includes(name) || !selected.includes(name)) return;
    if (visiting.has(name)) throw new Error(`stack dependency cycle through ${name}`);
    visiting.add(name);
    for (const dependency of [...manifest.stacks[name].dependencies].sort()) visit(dependency);
    visiting.delete(name);
    ordered.push(name);
  };
  for (const name of selected) visit(name);
  return ordered;
}
