/**
 * The cost analyzer's config for the local platform, as the primary region's workloads stack builds it
 * (stacks/workloads-stack.ts, addCostAnalyzer): the billing export sources, and the budgets of the clouds whose
 * export it reads, from the environment's `cost` section. Validated by the analyzer's own schema before it is
 * written.
 */
import { parseCostAnalyzerConfig, type CostAnalyzerConfigInput } from '../../../services/cost-analyzer/src/config';
import type { EnvironmentConfig } from '../../../stacks/environments/schema';
import type { CostSources } from '../billing-exports';
import { LOCAL_INTERVALS } from '../intervals';

export function localCostConfig(environment: EnvironmentConfig, sources: CostSources, port: number): CostAnalyzerConfigInput {
  const { cost } = environment;
  const config: CostAnalyzerConfigInput = {
    sources,
    budgets: [...new Set(sources.map((source) => source.provider))].map((provider) => ({ provider, amount: cost[provider].monthlyBudget, currency: cost[provider].currency })),
    refreshIntervalSeconds: LOCAL_INTERVALS.costRefresh,
    server: { host: '127.0.0.1', port },
  };
  parseCostAnalyzerConfig(config, 'local cost-analyzer config');
  return config;
}
