/**
 * The replicator as it runs in a cluster: the `replicator` script of package.json with `--config PATH`, in a child
 * process (no npm in between, so signals reach it, as in the image), its environment naming the emulators.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PROJECT_ROOT } from '../../helpers/app-command';

const SCRIPT = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.replicator;

export interface ReplicatorProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** The JSON log lines so far. */
  logs(): Record<string, unknown>[];
  /** The process's peak resident set size so far, in MiB (VmHWM from /proc: the kernel's high-water mark). */
  peakRssMiB(): number;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (a drain), and the exit code. */
  terminate(): Promise<number | null>;
}

const running = new Set<ReplicatorProcess>();
if (typeof afterAll === 'function') {
  afterAll(async () => {
    await Promise.all([...running].map((process) => process.kill()));
  });
}

export function startReplicatorProcess(config: unknown, env: Record<string, string>): ReplicatorProcess {
  const dir = mkdtempSync(join(tmpdir(), 'skyline-replicator-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, typeof config === 'string' ? config : stringify(config));
  const [command, ...args] = SCRIPT.split(/\s+/);
  const child = spawn(command, [...args, '--config', path], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(handle);
      rmSync(dir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const handle: ReplicatorProcess = {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    logs: () => stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
    peakRssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
      if (match === null) throw new Error(`no VmHWM in /proc/${child.pid}/status`);
      return Number(match[1]) / 1024;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    terminate: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
  running.add(handle);
  return handle;
}
