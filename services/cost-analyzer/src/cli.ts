/**
 * The command line: `--config PATH` serves (the image's entrypoint, `npm run cost -- --config PATH`);
 * `report --config PATH [--month YYYY-MM] [--focus-csv OUT.csv] [--focus-version 1.2|1.0] [--json]` prints one
 * report and exits.
 */
import { FOCUS_VERSIONS, type FocusVersion } from './focus/focus-csv-writer';

export type Command =
  | { readonly kind: 'serve'; readonly configPath: string }
  | {
      readonly kind: 'report';
      readonly configPath: string;
      /** `YYYY-MM`; absent: the current month. */
      readonly month?: string;
      readonly focusCsvPath?: string;
      readonly focusVersion: FocusVersion;
      /** Print the JSON report instead of tables. */
      readonly json: boolean;
    };

export const USAGE = `usage:
  cost --config PATH                        serve /metrics, /report, /healthz, /readyz
  cost report --config PATH [--month YYYY-MM] [--focus-csv OUT.csv] [--focus-version 1.2|1.0] [--json]`;

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

export function parseCommand(argv: readonly string[]): Command {
  const report = argv[0] === 'report';
  const flags = new Map<string, string | true>();
  const allowed = report ? ['--config', '--month', '--focus-csv', '--focus-version', '--json'] : ['--config'];
  for (let index = report ? 1 : 0; index < argv.length; index++) {
    const arg = argv[index];
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!allowed.includes(name)) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    if (name === '--json') {
      flags.set(name, true);
      continue;
    }
    const value = inline ?? argv[++index];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
    flags.set(name, value);
  }
  const configPath = flags.get('--config');
  if (typeof configPath !== 'string') throw new UsageError('no config file given (--config PATH)');
  if (!report) return { kind: 'serve', configPath };

  const month = flags.get('--month');
  if (month !== undefined && (typeof month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month))) throw new UsageError(`--month ${JSON.stringify(month)} is not a month; use YYYY-MM, e.g. 2024-09`);
  const version = flags.get('--focus-version') ?? '1.2';
  if (!FOCUS_VERSIONS.includes(version as FocusVersion)) throw new UsageError(`--focus-version ${JSON.stringify(version)} is not one of ${FOCUS_VERSIONS.join(', ')}`);
  const focusCsvPath = flags.get('--focus-csv');
  return { kind: 'report', configPath, month: month as string | undefined, focusCsvPath: focusCsvPath as string | undefined, focusVersion: version as FocusVersion, json: flags.has('--json') };
}
