/**
 * How the runner starts a process of this repository: the services through their package.json scripts (the
 * command `npm run <service>` runs, without npm in between so that signals reach the service, as in its image),
 * and the runner's own TypeScript entry points through the same TypeScript hook.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../test/helpers/app-command';

export interface Command {
  readonly command: string;
  readonly args: readonly string[];
}

const REGISTER_TS = join(PROJECT_ROOT, 'scripts', 'register-ts.js');

/** The command of package.json's script `name`, e.g. `failover` → node --require ./scripts/register-ts.js services/failover/src/main.ts. */
export function npmScript(name: string, extraArgs: readonly string[]): Command {
  const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts[name];
  if (script === undefined) throw new Error(`package.json has no "${name}" script`);
  const [command, ...args] = script.split(/\s+/);
  if (command !== 'node') throw new Error(`package.json's "${name}" script must start with node to be run without npm, got: ${script}`);
  return { command: process.execPath, args: [...args, ...extraArgs] };
}

/** A TypeScript file of this repository run with Node through the TypeScript hook. */
export function typescriptEntry(file: string, args: readonly string[]): Command {
  return { command: process.execPath, args: ['--require', REGISTER_TS, join(PROJECT_ROOT, file), ...args] };
}
