/**
 * The local platform's own processes (the services, the serving stand-ins, Prometheus): each started on a port
 * chosen by the caller, with its output appended to a log file, watched until its readiness URL answers, and
 * reported if it exits while it should be running.
 *
 * Nothing outlives the runner: every process runs in its own process group under the test harness's watchdog
 * (test/helpers/peers.ts, WATCHDOG_SCRIPT), which stops it when the runner's end of a pipe closes, however the
 * runner ended (Ctrl-C, a crash, SIGKILL); a normal exit kills every group that is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../services/common/src/clock';
import { WATCHDOG_SCRIPT, httpRequest } from '../../test/helpers/peers';

export interface ProcessSpec {
  /** Shown in messages and used for the log file name, e.g. `failover-us-west-2`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Polled with GET until it answers 200: the process is ready. */
  readonly readyUrl: string;
  /** @default 30 000 */
  readonly startTimeoutMs?: number;
}

export interface SupervisedProcess {
  readonly name: string;
  readonly logFile: string;
  /** SIGTERM to the process group, SIGKILL after the grace period; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  readonly logDirectory: string;
  /** A process exited without being asked to: its name, how it ended, and the end of its log. */
  readonly onUnexpectedExit: (name: string, how: string, logTail: string) => void;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
/** The services drain in well under a second with the local intervals; Prometheus takes about one. */
const STOP_GRACE_MS = 8_000;
const LOG_TAIL_BYTES = 3_000;
const READY_POLL_MS = 100;

/** The last `bytes` of a log file (a long session's log is never read whole). */
function logTail(file: string, bytes = LOG_TAIL_BYTES): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(size, bytes));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString('utf8');
  } catch (error) {
    return `(log unreadable: ${(error as Error).message})`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export class Supervisor {
  private readonly children = new Set<ChildProcess>();
  private readonly onExit = (): void => this.killAll();

  constructor(private readonly options: SupervisorOptions) {
    // A normal exit of the runner (even process.exit in an error path) takes the groups with it.
    process.on('exit', this.onExit);
  }

  async start(spec: ProcessSpec): Promise<SupervisedProcess> {
    const logFile = join(this.options.logDirectory, `${spec.name}.log`);
    const log = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, spec.name, spec.command, ...spec.args], {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        // Its own process group: stop() signals the wrapper, the process and whatever it started, and the
        // terminal's Ctrl-C reaches the runner alone, which then stops everything in order.
        detached: true,
        // stdin: the watchdog's pipe, held open by the runner until it dies.
        stdio: ['pipe', log, log],
      });
    } finally {
      closeSync(log);
    }
    this.children.add(child);
    // Never written: only its closing matters. An EPIPE once the wrapper is gone is expected.
    child.stdin?.on('error', () => undefined);

    // Before it is ready, an exit is start()'s to report (it rejects); after, the supervisor's.
    let ready = false;
    let stopping = false;
    let spawnError: Error | undefined;
    child.once('error', (error) => (spawnError = error));
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.children.delete(child);
        killGroup(child, 'SIGKILL'); // the watchdog's watcher may still wait on the pipe
        child.stdin?.destroy();
        if (ready && !stopping) this.options.onUnexpectedExit(spec.name, signal ? `killed by ${signal}` : `exit code ${code}`, logTail(logFile));
        resolve();
      });
    });
    const hasExited = (): boolean => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;

    const stop = async (): Promise<void> => {
      stopping = true;
      if (hasExited()) return;
      killGroup(child, 'SIGTERM');
      if (!(await settlesWithin(exited, STOP_GRACE_MS))) {
        killGroup(child, 'SIGKILL');
        await settlesWithin(exited, 2_000);
      }
    };

    const deadline = Date.now() + (spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    let last = 'no answer yet';
    for (;;) {
      if (hasExited()) {
        await settlesWithin(exited, 200);
        throw new Error(`${spec.name} exited before it was ready (${spawnError?.message ?? `exit code ${child.exitCode}`}); log ${logFile}:\n${logTail(logFile)}`);
      }
      try {
        const response = await httpRequest(spec.readyUrl, { timeoutMs: 1_000 });
        if (response.status === 200) {
          ready = true;
          break;
        }
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${spec.name} did not answer GET ${spec.readyUrl} with 200 in time (last: ${last}); log ${logFile}:\n${logTail(logFile)}`);
      }
      await systemClock.sleep(READY_POLL_MS);
    }
    return { name: spec.name, logFile, stop };
  }

  /** SIGKILL to every process group still running: the second Ctrl-C, or the runner's exit. */
  killAll(): void {
    for (const child of this.children) killGroup(child, 'SIGKILL');
  }

  /** Forgets the exit hook (after every process was stopped). */
  dispose(): void {
    process.removeListener('exit', this.onExit);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // detached: the wrapper leads its own group, whose id is its pid.
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is gone.
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
