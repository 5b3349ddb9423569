/** The config schema: defaults filled in, every problem reported with field, value and fix, secrets from the environment. */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../services/common/src/config';
import { parseCostAnalyzerConfig, type CostAnalyzerConfigInput } from '../../../services/cost-analyzer/src/config';
import { loadCostAnalyzerConfig } from '../../../services/cost-analyzer/src/load-config';

const MINIMAL: CostAnalyzerConfigInput = {
  sources: [{ provider: 'aws', kind: 's3', bucket: 'skyline-prod-cost-exports', prefix: 'focus/', region: 'us-west-2', format: 'focus' }],
};

function problems(input: unknown): string[] {
  try {
    parseCostAnalyzerConfig(input as CostAnalyzerConfigInput);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.field}: ${problem.message}`);
    throw error;
  }
  return [];
}

describe('cost analyzer config', () => {
  it('fills in every default', () => {
    const config = parseCostAnalyzerConfig(MINIMAL);
    expect(config).toMatchObject({
      sources: [{ name: 'aws-s3-0', provider: 'aws', kind: 's3', format: 'focus', prefix: 'focus/' }],
      refreshIntervalSeconds: 3600,
      historyMonths: 3,
      budgets: [],
      forecast: { confidenceLevel: 0.9, minDays: 3, backtestDays: [7, 14, 21] },
      server: { host: '0.0.0.0', port: 9464 },
      logLevel: 'info',
    });
    expect(config.azureAccountKey).toBeUndefined();
  });

  it('accepts every source kind', () => {
    const config = parseCostAnalyzerConfig({
      sources: [
        { name: 'gcp', provider: 'gcp', kind: 'bigquery', project: 'skyline-prod-billing', dataset: 'billing_export', table: 'gcp_billing_export_v1_0123AB_456CDE_789EF0', format: 'gcp-standard' },
        { name: 'azure', provider: 'azure', kind: 'azure-blob', accountUrl: 'https://skylinecost.blob.core.windows.net/', container: 'cost-exports', prefix: 'daily/', format: 'azure-actual' },
        { name: 'local', provider: 'aws', kind: 'file', path: '/data/cur' },
      ],
    });
    expect(config.sources.map((source) => source.kind)).toEqual(['bigquery', 'azure-blob', 'file']);
    expect(config.sources[1]).toMatchObject({ accountUrl: 'https://skylinecost.blob.core.windows.net' });
  });

  it('reports every problem at once, naming field and fix', () => {
    expect(
      problems({
        sources: [
          { provider: 'oracle', kind: 'file', path: '/x' },
          { provider: 'aws', kind: 's4' },
          { provider: 'aws', kind: 's3', bucket: 'Bad_Bucket', region: 'us-west-2', prefix: '/abs' },
        ],
        budgets: [{ provider: 'aws', amount: -5, currency: 'usd' }],
        forecast: { confidenceLevel: 1.2, backtestDays: [1] },
        extra: true,
      }),
    ).toEqual([
      'sources[0].provider: must be aws, gcp or azure',
      'sources[1].kind: must be s3, bigquery, azure-blob or file',
      'sources[2].bucket: must be an S3 bucket name such as skyline-prod-cost-exports',
      'sources[2].prefix: must not start with /: object keys have no leading slash',
      'budgets[0].amount: must be more than 0',
      'budgets[0].currency: must be an ISO 4217 currency code such as USD',
      'forecast.confidenceLevel: must be less than 1',
      'forecast.backtestDays[0]: must be a day from 3 to 27',
      '(root): unknown field extra; remove it or fix the spelling',
    ]);
  });

  it('refuses duplicate source names and budgets', () => {
    expect(
      problems({
        sources: [
          { name: 'cur', provider: 'aws', kind: 'file', path: '/a' },
          { name: 'cur', provider: 'aws', kind: 'file', path: '/b' },
        ],
        budgets: [
          { provider: 'aws', amount: 10, currency: 'USD' },
          { provider: 'aws', amount: 20, currency: 'USD' },
        ],
      }),
    ).toEqual(['sources[1].name: is used by two sources; give each source its own name', 'budgets[1]: is a second budget for this provider and currency; one each']);
  });

  it('needs a source', () => {
    expect(problems({ sources: [] })).toEqual(['sources: must list at least one billing export source']);
  });

  it('loads YAML and takes the Azure account key from the environment, never showing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-config-'));
    try {
      const path = join(dir, 'config.yaml');
      writeFileSync(path, 'sources:\n  - { provider: azure, kind: azure-blob, accountUrl: "http://127.0.0.1:10000/devstoreaccount1", container: exports }\n');
      expect(loadCostAnalyzerConfig(path, { SKYLINE_COST_AZURE_ACCOUNT_KEY: 'c2VjcmV0' }).azureAccountKey).toBe('c2VjcmV0');
      writeFileSync(path, 'sources: []\nazureAccountKey: 5\n');
      expect(() => loadCostAnalyzerConfig(path, { SKYLINE_COST_AZURE_ACCOUNT_KEY: '' })).toThrow(/azureAccountKey/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
