/**
 * The local platform's process supervision (scripts/local/supervisor.ts) with small real processes: readiness,
 * log files, stop, a process dying on its own, one dying before it is ready, and the watchdog stopping a child
 * whose runner was killed. About 5 s.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor, type ProcessSpec } from '../../scripts/local/supervisor';
import { PROJECT_ROOT } from '../helpers/app-command';
import { freePort } from '../helpers/peers';

jest.setTimeout(30_000);

let directory: string;
const exits: { name: string; how: string; tail: string }[] = [];
let supervisor: Supervisor;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'skyline-supervisor-'));
  exits.length = 0;
  supervisor = new Supervisor({ logDirectory: directory, onUnexpectedExit: (name, how, tail) => exits.push({ name, how, tail }) });
});

afterEach(() => {
  supervisor.killAll();
  supervisor.dispose();
  rmSync(directory, { recursive: true, force: true });
});

/** A Node HTTP server that logs a line, answers 200, and exits with `exitCode` after `exitAfterMs` if given. */
async function server(name: string, options: { exitAfterMs?: number; exitCode?: number } = {}): Promise<ProcessSpec> {
  const port = await freePort();
  const exit = options.exitAfterMs === undefined ? '' : `setTimeout(() => { console.error('giving up'); process.exit(${options.exitCode ?? 3}); }, ${options.exitAfterMs});`;
  const script = `require('node:http').createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1', () => console.log('listening on ${port}, pid ' + process.pid)); ${exit}`;
  return { name, command: process.execPath, args: ['-e', script], readyUrl: `http://127.0.0.1:${port}/` };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function pidIn(log: string): number {
  const match = /pid (\d+)/.exec(readFileSync(log, 'utf8'));
  if (!match) throw new Error(`no pid in ${log}`);
  return Number(match[1]);
}

it('starts a process once its readiness URL answers, logs its output to a file, and stops it whole', async () => {
  const started = await supervisor.start(await server('web'));
  expect(started.logFile).toBe(join(directory, 'web.log'));
  const pid = pidIn(started.logFile);
  expect(alive(pid)).toBe(true);
  await started.stop();
  expect(alive(pid)).toBe(false);
  expect(exits).toEqual([]);
});

it('reports a process that exits on its own, with the end of its log', async () => {
  await supervisor.start(await server('flaky', { exitAfterMs: 300, exitCode: 3 }));
  await until('the exit report', () => exits.length > 0);
  expect(exits).toEqual([{ name: 'flaky', how: 'exit code 3', tail: expect.stringContaining('giving up') }]);
});

it('refuses a process that exits before it is ready, with its log', async () => {
  const spec: ProcessSpec = { name: 'broken', command: process.execPath, args: ['-e', "console.error('no config'); process.exit(2)"], readyUrl: `http://127.0.0.1:${await freePort()}/` };
  await expect(supervisor.start(spec)).rejects.toThrow(/broken exited before it was ready \(exit code 2\); log .*broken\.log:\nno config/);
  expect(exits).toEqual([]);
});

it('stops the processes of a runner that was killed (SIGKILL): nothing outlives it', async () => {
  const spec = await server('orphan');
  const runnerFile = join(directory, 'runner.ts');
  writeFileSync(
    runnerFile,
    `import { Supervisor } from ${JSON.stringify(join(PROJECT_ROOT, 'scripts', 'local', 'supervisor'))};
const supervisor = new Supervisor({ logDirectory: ${JSON.stringify(directory)}, onUnexpectedExit: () => undefined });
supervisor.start(${JSON.stringify(spec)}).then(() => console.log('started'));
setInterval(() => undefined, 1000);`,
  );
  const runner = spawn(process.execPath, ['--require', join(PROJECT_ROOT, 'scripts', 'register-ts.js'), runnerFile], { cwd: PROJECT_ROOT });
  let output = '';
  runner.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await until('the runner to start its process', () => output.includes('started'));
  const pid = pidIn(join(directory, 'orphan.log'));
  expect(alive(pid)).toBe(true);

  runner.kill('SIGKILL');
  await until('the orphan to be stopped by the watchdog', () => !alive(pid));
  expect(existsSync(join(directory, 'orphan.log'))).toBe(true);
});
