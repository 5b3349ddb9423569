/**
 * `npm run local` as a person runs it, in a child process of its own process group (a terminal's foreground
 * job): Ctrl-C (SIGINT to the group) stops everything and leaves no process behind; bad arguments are refused.
 * About 15 s: the platform starts once. (A process dying on its own: test/local/supervisor.test.ts.)
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/app-command';

jest.setTimeout(120_000);

const LAUNCH = join(PROJECT_ROOT, 'scripts', 'local', 'launch.js');

interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: readonly string[]): Run {
  // detached: its own process group, as the shell gives a foreground job, so the group can be signalled whole.
  const child = spawn(process.execPath, [LAUNCH, ...args], { cwd: PROJECT_ROOT, detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every live process descending from `root` (by parent PID), whatever its process group. */
function descendants(root: number): Map<number, string> {
  const parents = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start after the last ')': state, ppid, ...
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
      commands.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim());
    } catch {
      // The process ended while the table was read.
    }
  }
  const found = new Map<number, string>();
  const visit = (pid: number): void => {
    for (const [child, parent] of parents) {
      if (parent === pid && !found.has(child)) {
        found.set(child, commands.get(child) ?? '');
        visit(child);
      }
    }
  };
  visit(root);
  return found;
}

function alive(pids: Iterable<number>): number[] {
  return [...pids].filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '));
}

function runDirectory(output: string): string {
  const match = /logs and configs\s+(\S+)/.exec(output);
  if (!match) throw new Error(`no run directory in the output:\n${output}`);
  return match[1];
}

describe('npm run local', () => {
  it('starts everything, prints the addresses, and on Ctrl-C stops it all and ends by SIGINT', async () => {
    const local = run([]);
    try {
      await until('"Press Ctrl-C"', () => local.output().includes('Press Ctrl-C'));
      expect(local.output()).toMatch(/Intervals are shortened for a local run:\n +failover probes every 1 s \(dev: 30 s\)/);
      expect(local.output()).toMatch(/Ready in \d+\.\d s:/);
      expect(local.output()).toMatch(/europe-west1 failover controller\s+http:\/\/127\.0\.0\.1:\d+\/metrics/);
      const started = descendants(local.child.pid ?? -1);
      const commands = [...started.values()].join('\n');
      const everyKind = [
        'moto_server',
        'fake-gcs-server',
        'azurite-blob',
        'prometheus-alertmanager',
        '/usr/bin/prometheus ',
        'services/failover/src/main.ts',
        'services/replicator/src/main.ts',
        'services/cost-analyzer/src/main.ts',
        'scripts/local/serving/main.ts',
      ];
      for (const name of everyKind) {
        expect(commands).toContain(name);
      }
      const directory = runDirectory(local.output());

      process.kill(-(local.child.pid ?? -1), 'SIGINT');
      expect(await local.exited).toEqual({ code: null, signal: 'SIGINT' });
      expect(local.output()).toContain('SIGINT: stopping everything');
      expect(local.output()).toMatch(/✓ stopping .*no process left/);
      expect(alive(started.keys())).toEqual([]);
      expect(existsSync(directory)).toBe(false);
    } finally {
      if (local.child.exitCode === null && local.child.signalCode === null) process.kill(-(local.child.pid ?? -1), 'SIGKILL');
    }
  });

  it('refuses unknown arguments with the usage', async () => {
    const local = run(['dmeo']);
    expect(await local.exited).toEqual({ code: 1, signal: null });
    expect(local.output()).toContain('unknown arguments: dmeo; usage: npm run local [-- demo]');
  });
});
