/**
 * Loads a service's YAML config file and validates it with the service's zod schema. Every problem is reported
 * at once, each naming the field, the bad value and the fix (the schema's messages say the fix). Secrets never
 * sit in the file: `envOverrides` maps a field path to the environment variable that sets it, so a Kubernetes
 * Secret reaches the config through the pod's environment.
 */
import type { z } from 'zod';

export interface ConfigProblem {
  /** Dotted path, e.g. `regions[1].spillTarget`; `(root)` for the whole file. */
  readonly field: string;
  readonly value: unknown;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid config ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem.field}: ${problem.message} (got ${render(problem.value)})`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Field path (dotted, e.g. `alerts.bearerToken`) to the environment variable whose value replaces it. */
export type EnvOverrides = Readonly<Record<string, string>>;

export interface LoadConfigOptions<Schema extends z.ZodType> {
  readonly schema: Schema;
  readonly envOverrides?: EnvOverrides;
  /** @default process.env: the services' config loaders are the only readers of the environment (DESIGN § 1.4) */
  readonly env?: NodeJS.ProcessEnv;
}

/** Validates an already parsed document (a test, or a stack building the config in TypeScript). */
export function parseConfig<Schema extends z.ZodType>(document: unknown, source: string, options: LoadConfigOptions<Schema>): z.output<Schema> {
  const env = options.env ?? process.env;
  const overridden = new Map<string, string>();
  let input = document;
  for (const [field, variable] of Object.entries(options.envOverrides ?? {})) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    input = setPath(input, field.split('.'), value);
    overridden.set(field, variable);
  }
  const parsed = options.schema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((issue) => {
        const problem = toProblem(issue);
        const variable = overridden.get(problem.field);
        // A secret's value never reaches a log line.
        return variable === undefined ? problem : { ...problem, value: `(hidden: set by $${variable})` };
      }),
    );
  }
  return parsed.data;
}

/** A copy of `target` with `value` at `path`: the caller's document is never modified. */
function setPath(target: unknown, path: readonly string[], value: string): unknown {
  const [head, ...rest] = path;
  const object = isRecord(target) ? { ...target } : {};
  object[head] = rest.length === 0 ? value : setPath(object[head], rest, value);
  return object;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function toProblem(issue: z.core.$ZodIssue): ConfigProblem {
  const field = formatPath(issue.path.filter((part): part is string | number => typeof part !== 'symbol'));
  if (issue.code === 'unrecognized_keys') {
    const many = issue.keys.length > 1;
    return { field, value: issue.keys, message: `unknown field${many ? 's' : ''} ${issue.keys.join(', ')}; remove ${many ? 'them' : 'it'} or fix the spelling` };
  }
  // A discriminated union reports the whole object at the discriminator's path: show the discriminator.
  const value = issue.code === 'invalid_union' && typeof issue.discriminator === 'string' && isRecord(issue.input) ? issue.input[issue.discriminator] : issue.input;
  if (issue.code === 'invalid_type' && value === undefined) {
    // zod's own wording ("Invalid input: expected string, received undefined") says less than the schema's.
    return { field, value, message: issue.message.startsWith('Invalid input') ? `is required (a ${issue.expected})` : `is required: ${issue.message}` };
  }
  return { field, value, message: issue.message };
}

function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

function render(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
