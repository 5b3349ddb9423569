/**
 * Synthesis benchmark: one whole environment, as `cdktf synth` runs it, against
 * the floor (a Node process that only loads cdktf and the provider submodules
 * the program imports), side by side and alternated in one run. Also the type
 * check and the fast test tier. Prints figures; asserts nothing.
 *
 *   npm run bench [-- --runs 5 --env prod]
 * The synth side runs cdktf.json's `app` command, exactly what `cdktf synth` runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appCommand, PROJECT_ROOT as root } from '../helpers/app-command';

const bin = (name: string) => join(root, 'node_modules', '.bin', name);

interface Sample {
  readonly seconds: number;
  readonly peakRssMiB: number;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, NODE_OPTIONS: `--require ${join(__dirname, 'report-peak-rss.js')}` },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  // A command may run the program in a child process: the peak is the largest of the processes reported.
  const peaks = [...result.stderr.matchAll(/BENCH_PEAK_RSS_KIB=(\d+)/g)].map((match) => Number(match[1]));
  return { seconds, peakRssMiB: Math.max(...peaks) / 1024 };
}

/** Every `@cdktf/provider-*` deep module imported by the program's own sources. */
function providerModulesUsed(): string[] {
  const modules = new Set<string>();
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (path.endsWith('.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/from '(@cdktf\/provider-[a-z]+\/lib\/[a-z0-9-]+)'/g)) modules.add(match[1]);
      }
    }
  };
  for (const directory of ['constructs', 'stacks']) visit(join(root, directory));
  return [...modules].sort();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

function main(): void {
  const runs = Number(option('runs', '5'));
  const environment = option('env', 'prod');
  const modules = providerModulesUsed();
  const floorScript = ['cdktf', ...modules].map((module) => `require(${JSON.stringify(module)});`).join('');
  const outdir = mkdtempSync(join(tmpdir(), 'skyline-bench-'));
  const app = appCommand();
  const synthesize = () => run(app.command, app.args, { SKYLINE_ENV: environment, CDKTF_OUTDIR: outdir });

  console.log(`Synth benchmark: environment ${environment}, ${runs} runs each, alternated; floor loads cdktf + ${modules.length} provider modules`);
  const floor: Sample[] = [];
  const synth: Sample[] = [];
  // One warm-up of each, so the file cache is equally warm for both.
  run('node', ['-e', floorScript]);
  synthesize();
  for (let i = 0; i < runs; i++) {
    floor.push(run('node', ['-e', floorScript]));
    synth.push(synthesize());
  }
  const floorSeconds = median(floor.map((sample) => sample.seconds));
  const synthSeconds = median(synth.map((sample) => sample.seconds));
  const rows = [
    ['floor (node: require cdktf + providers)', floorSeconds, median(floor.map((sample) => sample.peakRssMiB))],
    [`synth ${environment} (cdktf.json app command)`, synthSeconds, median(synth.map((sample) => sample.peakRssMiB))],
  ] as const;
  for (const [label, seconds, rss] of rows) console.log(`  ${label.padEnd(48)} ${seconds.toFixed(2).padStart(6)} s   peak RSS ${rss.toFixed(0).padStart(4)} MiB`);
  console.log(`  ratio synth / floor: ${(synthSeconds / floorSeconds).toFixed(2)}x (goal <= 1.5x); peak RSS goal < 500 MiB`);
  console.log(`  synthesized into ${outdir}`);

  const [hook, ...hookArgs] = app.args.slice(0, -1);
  const phases = spawnSync(app.command, [hook, ...hookArgs, join(__dirname, 'synth-phases.ts')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SKYLINE_ENV: environment, CDKTF_OUTDIR: outdir },
  });
  console.log('  where one synth spends its time:');
  for (const [phase, milliseconds] of Object.entries(JSON.parse(phases.stdout) as Record<string, number>)) {
    console.log(`    ${phase.padEnd(36)} ${String(milliseconds).padStart(5)} ms`);
  }

  const typecheck = run(bin('tsc'), ['--noEmit']);
  console.log(`Type check (tsc --noEmit): ${typecheck.seconds.toFixed(2)} s, peak RSS ${typecheck.peakRssMiB.toFixed(0)} MiB`);
  const fastTier = run(bin('jest'), ['--ci', '--silent', 'test/constructs', 'test/stacks']);
  console.log(`Fast test tier (jest test/constructs test/stacks): ${fastTier.seconds.toFixed(2)} s`);
}

main();
