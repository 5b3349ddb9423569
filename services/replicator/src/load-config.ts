/** Reads the replicator's config file (`--config PATH`): YAML, environment overrides, validation. */
import { loadConfigFile } from '../../common/src/config-file';
import { REPLICATOR_ENV_OVERRIDES, replicatorConfigSchema, type ReplicatorConfig } from './config';

export function loadReplicatorConfig(path: string, env: NodeJS.ProcessEnv = process.env): ReplicatorConfig {
  return loadConfigFile(path, { schema: replicatorConfigSchema, envOverrides: REPLICATOR_ENV_OVERRIDES, env });
}
