/**
 * Selects an embedded environment, applies overrides (a config file, SKYLINE_*
 * variables: read by main.ts, passed in here) and validates the result.
 */
import { dev } from './dev';
import { prod } from './prod';
import { staging } from './staging';
import { ENVIRONMENT_NAMES, type Cloud, type EnvironmentConfig, type EnvironmentConfigInput, type EnvironmentName } from './schema';
import { ConfigError, validateEnvironment } from './validate';

export const EMBEDDED_ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentConfigInput>> = { dev, staging, prod };

/** A partial config merged over the embedded one: objects merge key by key, arrays and scalars replace. */
export type ConfigOverride = Readonly<Record<string, unknown>>;

export interface EnvironmentOverrides {
  /** Partial configs merged over the embedded one, in order (e.g. the SKYLINE_CONFIG file). */
  readonly config?: readonly ConfigOverride[];
  /** Merged into every region of a cloud after `config` (e.g. SKYLINE_AWS_ACCOUNT_ID). */
  readonly perCloud?: Readonly<Partial<Record<Cloud, ConfigOverride>>>;
}

export function loadEnvironment(name: string, overrides: EnvironmentOverrides = {}): EnvironmentConfig {
  if (!isEnvironmentName(name)) {
    throw new ConfigError(name, [
      { field: 'SKYLINE_ENV', value: name, message: `is not an environment; set it to one of ${ENVIRONMENT_NAMES.join(', ')}` },
    ]);
  }
  const merged = (overrides.config ?? []).reduce<unknown>((config, override) => deepMerge(config, override), EMBEDDED_ENVIRONMENTS[name]);
  return validateEnvironment(applyPerCloud(merged, overrides.perCloud ?? {}), name);
}

function applyPerCloud(config: unknown, perCloud: Readonly<Partial<Record<Cloud, ConfigOverride>>>): unknown {
  if (!isPlainObject(config) || !isPlainObject(config.regions)) return config;
  const regions = Object.fromEntries(
    Object.entries(config.regions).map(([key, region]) => {
      const cloud = isPlainObject(region) ? (region.cloud as Cloud) : undefined;
      const override = cloud ? perCloud[cloud] : undefined;
      return [key, override ? deepMerge(region, override) : region];
    }),
  );
  return { ...config, regions };
}

function isEnvironmentName(name: string): name is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(name);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = key in base ? deepMerge(base[key], value) : value;
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
