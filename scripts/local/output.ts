/**
 * What the runner shows while it works. On a terminal, tasks in progress are redrawn in place with a spinner
 * and their elapsed time; in a log (CI, a pipe) each task prints one line when it ends; headless (the
 * end-to-end test) nothing is printed and every line is kept for the caller.
 */
import type { Writable } from 'node:stream';

export interface Task {
  /** Marks the task finished; `detail` follows its label, e.g. the URL of what started. */
  done(detail?: string): void;
  fail(message: string): void;
}

export interface Output {
  /** A task shown as running until done() or fail(). */
  task(label: string): Task;
  /** One line of text, printed above the running tasks. */
  print(text: string): void;
  /** Stops redrawing; running tasks stay as they were last drawn. */
  close(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const REDRAW_MS = 100;

/** Seconds with one decimal: `2.4 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

interface Running {
  readonly label: string;
  readonly startedAt: number;
}

/** Spinner lines redrawn in place, for an interactive terminal. */
class TerminalOutput implements Output {
  private readonly running: Running[] = [];
  private drawn = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  task(label: string): Task {
    const entry: Running = { label, startedAt: Date.now() };
    this.running.push(entry);
    this.timer ??= setInterval(() => this.redraw(), REDRAW_MS);
    this.redraw();
    const end = (line: string): void => {
      const index = this.running.indexOf(entry);
      if (index < 0) return;
      this.running.splice(index, 1);
      this.print(line);
      if (this.running.length === 0) this.stopTimer();
    };
    return {
      done: (detail) => end(`  ✓ ${label.padEnd(34)} ${seconds(Date.now() - entry.startedAt).padStart(7)}${detail ? `  ${detail}` : ''}`),
      fail: (message) => end(`  ✗ ${label.padEnd(34)} ${seconds(Date.now() - entry.startedAt).padStart(7)}  ${message}`),
    };
  }

  print(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
    this.redraw();
  }

  close(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private clear(): void {
    // Up to the first line of the block, then erase to the end of the screen.
    if (this.drawn > 0) this.stream.write(`\x1b[${this.drawn}F\x1b[0J`);
    this.drawn = 0;
  }

  private redraw(): void {
    this.clear();
    const spinner = SPINNER[this.frame++ % SPINNER.length];
    for (const entry of this.running) this.stream.write(`  ${spinner} ${entry.label.padEnd(34)} ${seconds(Date.now() - entry.startedAt).padStart(7)}\n`);
    this.drawn = this.running.length;
  }
}

/** One line per finished task, for logs and pipes, where redrawing would only add noise. */
class LineOutput implements Output {
  constructor(private readonly stream: Writable) {}

  task(label: string): Task {
    const startedAt = Date.now();
    return {
      done: (detail) => this.print(`  ✓ ${label} (${seconds(Date.now() - startedAt)})${detail ? `  ${detail}` : ''}`),
      fail: (message) => this.print(`  ✗ ${label} (${seconds(Date.now() - startedAt)}): ${message}`),
    };
  }

  print(text: string): void {
    this.stream.write(`${text}\n`);
  }

  close(): void {}
}

/** Prints nothing; keeps every line (finished tasks included) for the caller, e.g. a test. */
export class HeadlessOutput implements Output {
  readonly lines: string[] = [];

  task(label: string): Task {
    return {
      done: (detail) => this.lines.push(`✓ ${label}${detail ? `  ${detail}` : ''}`),
      fail: (message) => this.lines.push(`✗ ${label}: ${message}`),
    };
  }

  print(text: string): void {
    this.lines.push(text);
  }

  close(): void {}
}

/** The output that suits the stream: redrawn spinners on a terminal, plain lines otherwise. */
export function outputFor(stream: NodeJS.WriteStream): Output {
  return stream.isTTY ? new TerminalOutput(stream) : new LineOutput(stream);
}

/** Runs `start` as a task of `output`: done with `detail(result)`, or failed with the error's first line. */
export async function runTask<T>(output: Output, label: string, start: () => Promise<T>, detail: (result: T) => string = () => ''): Promise<T> {
  const task = output.task(label);
  try {
    const result = await start();
    task.done(detail(result));
    return result;
  } catch (error) {
    task.fail((error as Error).message.split('\n')[0]);
    throw error;
  }
}
