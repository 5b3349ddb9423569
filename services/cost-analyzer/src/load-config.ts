/** Reads the cost analyzer's config file (`--config PATH`): YAML, environment overrides, validation. */
import { loadConfigFile } from '../../common/src/config-file';
import { COST_ANALYZER_ENV_OVERRIDES, costAnalyzerConfigSchema, type CostAnalyzerConfig } from './config';

export function loadCostAnalyzerConfig(path: string, env: NodeJS.ProcessEnv = process.env): CostAnalyzerConfig {
  return loadConfigFile(path, { schema: costAnalyzerConfigSchema, envOverrides: COST_ANALYZER_ENV_OVERRIDES, env });
}
