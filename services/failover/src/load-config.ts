/** Reads the failover controller's config file (`--config PATH`): YAML, environment overrides, validation. */
import { loadConfigFile } from '../../common/src/config-file';
import { FAILOVER_ENV_OVERRIDES, failoverConfigSchema, type FailoverConfig } from './config';

export function loadFailoverConfig(path: string, env: NodeJS.ProcessEnv = process.env): FailoverConfig {
  return loadConfigFile(path, { schema: failoverConfigSchema, envOverrides: FAILOVER_ENV_OVERRIDES, env });
}
