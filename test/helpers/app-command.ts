/** The command cdktf runs to synthesize (cdktf.json's `app`), so tests and benchmarks run exactly that. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROJECT_ROOT = join(__dirname, '..', '..');

export function appCommand(): { command: string; args: string[] } {
  const { app } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdktf.json'), 'utf8')) as { app: string };
  const [command, ...args] = app.split(/\s+/);
  return { command, args };
}
