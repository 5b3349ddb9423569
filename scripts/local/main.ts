/**
 * `npm run local`: starts the whole runtime on this machine, prints where everything is, and runs until Ctrl-C.
 * `npm run local -- demo`: starts it, runs the guided scenario (scripts/local/demo.ts), stops it.
 *
 * Ctrl-C (or SIGTERM) stops everything in order, then the runner ends by that same signal, as an interrupted
 * command should (npm then exits quietly); a second Ctrl-C kills what is left at once. A process that dies on
 * its own ends the run with its log's tail. Exit codes otherwise: 0 done, 1 failed.
 */
import { runDemo } from './demo';
import { describeIntervals } from './intervals';
import { outputFor, seconds, type Output } from './output';
import { Platform } from './platform';
import { MissingToolsError } from './tools';
import { localTopology } from './topology';

const USAGE = 'usage: npm run local [-- demo]';
/**
 * npm forwards the terminal's SIGINT to the script, which the terminal signals too: one Ctrl-C arrives twice
 * within milliseconds. Only a signal this long after the first counts as the second Ctrl-C.
 */
const SECOND_SIGNAL_AFTER_MS = 1_000;

const BANNER_WIDTH = 110;

/** Items joined by commas, in lines of at most `width` characters. */
function wrap(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const [index, item] of items.entries()) {
    const text = index < items.length - 1 ? `${item},` : `${item}.`;
    if (lines.length > 0 && lines[lines.length - 1].length + 1 + text.length <= width) lines[lines.length - 1] += ` ${text}`;
    else lines.push(text);
  }
  return lines;
}

type Outcome = { readonly exitCode: number } | { readonly signal: NodeJS.Signals };

function parseMode(argv: readonly string[]): 'run' | 'demo' {
  if (argv.length === 0) return 'run';
  if (argv.length === 1 && argv[0] === 'demo') return 'demo';
  throw new Error(`unknown arguments: ${argv.join(' ')}; ${USAGE}`);
}

async function main(output: Output): Promise<Outcome> {
  const mode = parseMode(process.argv.slice(2));
  const interrupted = new AbortController();
  let interruption: { signal: NodeJS.Signals; atMs: number } | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interruption === undefined) {
      interruption = { signal, atMs: Date.now() };
      output.print(`\n${signal}: stopping everything (Ctrl-C again to kill at once)...`);
      interrupted.abort(new Error(`interrupted by ${signal}`));
    } else if (Date.now() - interruption.atMs > SECOND_SIGNAL_AFTER_MS) {
      output.print('Killing what is left.');
      // The runner's exit handlers SIGKILL every process group it started.
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const interruptedOutcome = (): Outcome | undefined => (interruption ? { signal: interruption.signal } : undefined);

  let died: ((error: Error) => void) | undefined;
  const processDied = new Promise<never>((_resolve, reject) => (died = reject));
  processDied.catch(() => undefined);

  const topology = localTopology();
  output.print(`Starting Skyline locally: the ${topology.environment.name} environment's ${topology.regions.length} regions on 127.0.0.1.`);
  output.print('Intervals are shortened for a local run:');
  for (const line of wrap(describeIntervals(topology.environment), BANNER_WIDTH)) output.print(`  ${line}`);
  const startedAt = Date.now();
  let platform: Platform;
  try {
    platform = await Platform.start({ topology, output, signal: interrupted.signal, onProcessExit: (message) => died?.(new Error(message)) });
  } catch (error) {
    const outcome = interruptedOutcome();
    if (outcome === undefined) throw error;
    // Platform.start stopped what had started before it gave up.
    output.print('Stopped during start-up; no process left.');
    return outcome;
  }
  output.print(`\nReady in ${seconds(Date.now() - startedAt)}:`);
  const addresses = platform.addresses();
  const width = Math.max(...addresses.map(([label]) => label.length));
  for (const [label, url] of addresses) output.print(`  ${label.padEnd(width)}  ${url}`);

  let failed = false;
  try {
    if (mode === 'demo') {
      output.print('');
      await Promise.race([runDemo(platform, output, interrupted.signal), processDied]);
    } else {
      output.print('\nPress Ctrl-C to stop; `npm run local -- demo` runs the guided scenario.');
      const stopped = new Promise<void>((resolve) => interrupted.signal.addEventListener('abort', () => resolve(), { once: true }));
      await Promise.race([stopped, processDied]);
    }
  } catch (error) {
    if (!interrupted.signal.aborted) {
      failed = true;
      output.print(`\n${(error as Error).message}`);
    }
  }
  const stopping = output.task('stopping');
  await platform.stop(failed);
  stopping.done(failed ? `logs kept in ${platform.runDirectory}` : 'no process left');
  return interruptedOutcome() ?? { exitCode: failed ? 1 : 0 };
}

const output = outputFor(process.stdout);
main(output).then(
  (outcome) => {
    output.close();
    if ('exitCode' in outcome) process.exit(outcome.exitCode);
    // Ended by the signal itself, with Node's default action, so the caller sees an interrupted command.
    process.removeAllListeners(outcome.signal);
    process.kill(process.pid, outcome.signal);
  },
  (error: unknown) => {
    output.close();
    process.stderr.write(`${error instanceof MissingToolsError ? '' : 'local platform: '}${(error as Error).message}\n`);
    process.exit(1);
  },
);
