import { costHomeRegionKey } from '../../../stacks/environments/cost-schema';
import { EMBEDDED_ENVIRONMENTS, loadEnvironment, type ConfigOverride } from '../../../stacks/environments/load';
import { environmentOverridesFromProcess } from '../../../stacks/environments/overrides';
import { ConfigError, type ConfigProblem } from '../../../stacks/environments/validate';

function problemsOf(override: ConfigOverride, environment = 'dev'): ConfigProblem[] {
  try {
    loadEnvironment(environment, { config: [override] });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

/** The one problem reported for `field`; fails when there is not exactly one problem at all. */
function onlyProblem(override: ConfigOverride): ConfigProblem {
  const problems = problemsOf(override);
  if (problems.length !== 1) throw new Error(`expected one problem, got: ${JSON.stringify(problems, null, 2)}`);
  return problems[0];
}

describe('the cost section', () => {
  it.each(Object.keys(EMBEDDED_ENVIRONMENTS))('%s has budgets for the three clouds, thresholds, recipients and export settings', (name) => {
    const { cost } = loadEnvironment(name);
    expect(cost.recipients.length).toBeGreaterThan(0);
    expect(cost.thresholds.length).toBeGreaterThan(0);
    for (const cloud of ['aws', 'gcp', 'azure'] as const) expect(cost[cloud].monthlyBudget).toBeGreaterThan(0);
  });

  describe('each problem names the field, the value and the fix', () => {
    it.each<[string, ConfigOverride, string, unknown, RegExp]>([
      ['an AWS budget in another currency', { cost: { aws: { currency: 'EUR' } } }, 'cost.aws.currency', 'EUR', /must be USD: AWS Budgets track cost in US dollars only/],
      ['a currency that is no ISO code', { cost: { gcp: { currency: 'euro' } } }, 'cost.gcp.currency', 'euro', /ISO 4217 currency code such as USD or EUR/],
      ['a budget of nothing', { cost: { azure: { monthlyBudget: 0 } } }, 'cost.azure.monthlyBudget', 0, /more than 0/],
      ['a recipient that is no address', { cost: { recipients: ['finops'] } }, 'cost.recipients[0]', 'finops', /must be an e-mail address/],
      ['no recipient', { cost: { recipients: [] } }, 'cost.recipients', [], /at least one e-mail address/],
      ['a threshold on an unknown basis', { cost: { thresholds: [{ percent: 80, basis: 'projected' }] } }, 'cost.thresholds[0].basis', 'projected', /must be one of actual, forecasted/],
      ['a threshold above what Azure takes', { cost: { thresholds: [{ percent: 1500, basis: 'actual' }] } }, 'cost.thresholds[0].percent', 1500, /at most 1000/],
      ['too short a retention', { cost: { exportRetentionDays: 30 } }, 'cost.exportRetentionDays', 30, /at least 124 days: the analyzer reads the current month and backtests/],
      ['a malformed billing account', { cost: { gcp: { billingAccountId: '0123-4567' } } }, 'cost.gcp.billingAccountId', '0123-4567', /such as 01A2B3-C4D5E6-F7A8B9.*SKYLINE_GCP_BILLING_ACCOUNT_ID/],
      ['a regional export dataset', { cost: { gcp: { exportLocation: 'europe-west1' } } }, 'cost.gcp.exportLocation', 'europe-west1', /must be one of EU, US: only multi-region datasets get the previous month backfilled/],
      ['the FOCUS export type, not creatable yet', { cost: { azure: { exportCostType: 'FocusCost' } } }, 'cost.azure.exportCostType', 'FocusCost', /AmortizedCost, ActualCost \(FocusCost is not creatable yet: docs\/adr\/008/],
      ['a storage account name with a hyphen', { cost: { azure: { exportStorageAccountName: 'skyline-cost' } } }, 'cost.azure.exportStorageAccountName', 'skyline-cost', /3-24 lowercase letters and digits only/],
      ['a bucket name with a dot', { cost: { aws: { exportBucketName: 'skyline.cost' } } }, 'cost.aws.exportBucketName', 'skyline.cost', /no dots: they break TLS/],
      ['an unknown field', { cost: { aws: { budget: 10 } } }, 'cost.aws', ['budget'], /unknown field budget; remove it or fix the spelling/],
    ])('refuses %s', (_label, override, field, value, message) => {
      expect(onlyProblem(override)).toEqual({ field, value, message: expect.stringMatching(message) });
    });

    it('refuses more recipients than a GCP budget can notify', () => {
      const recipients = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => `${name}@example.com`);
      expect(onlyProblem({ cost: { recipients } })).toMatchObject({ field: 'cost.recipients', message: expect.stringMatching(/at most 5 addresses \(a GCP budget takes 5 notification channels\)/) });
    });

    it('refuses a recipient or a threshold listed twice', () => {
      const problems = problemsOf({ cost: { recipients: ['a@example.com', 'a@example.com'], thresholds: [{ percent: 80, basis: 'actual' }, { percent: 80, basis: 'actual' }, { percent: 80, basis: 'forecasted' }] } });
      expect(problems).toEqual([
        { field: 'cost.recipients[1]', value: 'a@example.com', message: 'appears more than once; list each address once' },
        { field: 'cost.thresholds[1]', value: { percent: 80, basis: 'actual' }, message: 'duplicates cost.thresholds[0]; remove it or change its percent' },
      ]);
    });

    it('refuses an export bucket or storage account that is a model store', () => {
      const problems = problemsOf({ cost: { aws: { exportBucketName: 'skyline-dev-models-usw2' }, azure: { exportStorageAccountName: 'skylinedevmodelsci' } } });
      expect(problems).toEqual([
        { field: 'cost.aws.exportBucketName', value: 'skyline-dev-models-usw2', message: 'is the model bucket of regions.aws-us-west-2; give the export its own bucket' },
        { field: 'cost.azure.exportStorageAccountName', value: 'skylinedevmodelsci', message: 'is the model storage account of regions.azure-centralindia; give the export its own account' },
      ]);
    });

    it('refuses a primary region off AWS: the cost analyzer runs there, on EKS', () => {
      const problems = problemsOf({ regions: { 'aws-us-west-2': { role: 'secondary' }, 'gcp-europe-west1': { role: 'primary' } } });
      expect(problems).toContainEqual({ field: 'regions.gcp-europe-west1.cloud', value: 'gcp', message: expect.stringMatching(/cost analyzer runs in the primary region.*make an AWS region primary/) });
    });
  });

  it('takes the real billing account from SKYLINE_GCP_BILLING_ACCOUNT_ID, and checks it', () => {
    const environment = loadEnvironment('prod', environmentOverridesFromProcess({ SKYLINE_GCP_BILLING_ACCOUNT_ID: '01A2B3-C4D5E6-F7A8B9' }));
    expect(environment.cost.gcp.billingAccountId).toBe('01A2B3-C4D5E6-F7A8B9');
    expect(() => loadEnvironment('prod', environmentOverridesFromProcess({ SKYLINE_GCP_BILLING_ACCOUNT_ID: 'billing' }))).toThrow(
      /cost\.gcp\.billingAccountId: must be a Cloud Billing account ID .* \(got "billing"\)/,
    );
  });
});

describe('costHomeRegionKey', () => {
  const regions = {
    'aws-us-east-1': { cloud: 'aws' as const, role: 'tertiary' },
    'aws-us-west-2': { cloud: 'aws' as const, role: 'primary' },
    'gcp-europe-west1': { cloud: 'gcp' as const, role: 'secondary' },
  };

  it('puts a cloud\'s account-level cost pieces in its highest-ranked region, once', () => {
    expect(costHomeRegionKey({ regions }, 'aws')).toBe('aws-us-west-2');
    expect(costHomeRegionKey({ regions }, 'gcp')).toBe('gcp-europe-west1');
  });

  it('has none for a cloud without a region', () => {
    expect(costHomeRegionKey({ regions }, 'azure')).toBeUndefined();
  });
});
