/**
 * Loading a service's YAML config file. Kept apart from config.ts (validation), which the stacks also use at
 * synth to check a config built in TypeScript: they should not load a YAML parser for it.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';
import { ConfigError, parseConfig, type LoadConfigOptions } from './config';

/** Reads, parses, overrides and validates the file at `path`; throws a ConfigError listing every problem. */
export function loadConfigFile<Schema extends z.ZodType>(path: string, options: LoadConfigOptions<Schema>): z.output<Schema> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [{ field: '(root)', value: path, message: `cannot read the file (${(error as Error).message}); check the --config path` }]);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigError(path, [{ field: '(root)', value: '(YAML text)', message: `is not valid YAML: ${(error as Error).message}` }]);
  }
  return parseConfig(document ?? {}, path, options);
}
