/**
 * Every environment synthesizes each cloud's billing export and budget, once per cloud, in that cloud's infra stack,
 * with the amounts, thresholds and recipients of its config, and the cost analyzer's identity of that cloud may read
 * the export.
 */
import { costHomeRegionKey } from '../../stacks/environments/cost-schema';
import { loadEnvironment } from '../../stacks/environments/load';
import { ENVIRONMENT_NAMES, type Cloud } from '../../stacks/environments/schema';
import { policyOf, resourcesOfType, synthEnvironment, type TerraformJson } from '../helpers/synth';

const COST_RESOURCES = {
  aws: ['aws_bcmdataexports_export', 'aws_budgets_budget'],
  gcp: ['google_bigquery_dataset', 'google_billing_budget'],
  azure: ['azurerm_subscription_cost_management_export', 'azurerm_consumption_budget_subscription'],
} as const;

/** The resources of `type` whose Terraform name starts with `prefix` (a construct ID). */
function named(stack: TerraformJson, type: string, prefix: string): Record<string, unknown>[] {
  return Object.entries(stack.resource?.[type] ?? {})
    .filter(([name]) => name.startsWith(prefix))
    .map(([, resource]) => resource);
}

describe.each(ENVIRONMENT_NAMES)('%s', (environmentName) => {
  const environment = loadEnvironment(environmentName);
  const stacks = synthEnvironment(environmentName);
  /** The infra stack of the cloud's highest-ranked region: the one that holds its account-level cost pieces. */
  const homeStackName = (cloud: Cloud) => `${environmentName}-${costHomeRegionKey(environment, cloud)}-infra`;
  const infra = (cloud: Cloud) => stacks[homeStackName(cloud)];
  const { cost } = environment;

  it.each(Object.entries(COST_RESOURCES) as [Cloud, readonly string[]][])('synthesizes the %s export and budget once, in that cloud\'s infra stack', (cloud, types) => {
    expect(homeStackName(cloud)).toMatch(new RegExp(`^${environmentName}-${cloud}-[a-z0-9-]+-infra$`));
    for (const type of types) {
      const holders = Object.entries(stacks).filter(([, stack]) => resourcesOfType(stack, type).length > 0).map(([name]) => name);
      expect(holders).toEqual([homeStackName(cloud)]);
      expect(resourcesOfType(infra(cloud), type)).toHaveLength(1);
    }
  });

  it('budgets each cloud at its configured amount, notifying the configured recipients at every threshold', () => {
    const [aws] = resourcesOfType(infra('aws'), 'aws_budgets_budget');
    expect(aws.limit_amount).toBe(cost.aws.monthlyBudget.toFixed(2));
    expect(aws.notification).toHaveLength(cost.thresholds.length);
    for (const notification of aws.notification as Record<string, unknown>[]) expect(notification.subscriber_email_addresses).toEqual(cost.recipients);

    const [gcp] = resourcesOfType(infra('gcp'), 'google_billing_budget');
    expect(gcp.billing_account).toBe(cost.gcp.billingAccountId);
    expect((gcp.amount as { specified_amount: { units: string; currency_code: string } }).specified_amount).toMatchObject({ units: String(cost.gcp.monthlyBudget), currency_code: cost.gcp.currency });
    expect(gcp.threshold_rules).toHaveLength(cost.thresholds.length);
    expect(resourcesOfType(infra('gcp'), 'google_monitoring_notification_channel').map((channel) => (channel.labels as { email_address: string }).email_address)).toEqual(cost.recipients);

    const [azure] = resourcesOfType(infra('azure'), 'azurerm_consumption_budget_subscription');
    expect(azure.amount).toBe(cost.azure.monthlyBudget);
    expect((azure.notification as Record<string, unknown>[]).map((notification) => notification.contact_emails)).toEqual(cost.thresholds.map(() => cost.recipients));
  });

  it('exports FOCUS 1.2 on AWS, into the configured bucket, through the us-east-1 provider', () => {
    const [costExport] = resourcesOfType(infra('aws'), 'aws_bcmdataexports_export');
    expect(JSON.stringify(costExport.export)).toContain('FROM FOCUS_1_2_AWS');
    expect(costExport.provider).toBe('aws.data-exports');
    expect(infra('aws').provider?.aws).toContainEqual(expect.objectContaining({ alias: 'data-exports', region: 'us-east-1' }));
    expect(named(infra('aws'), 'aws_s3_bucket', 'cost-export_')).toEqual([expect.objectContaining({ bucket: cost.aws.exportBucketName })]);
  });

  it('exports the configured Azure cost type into the configured storage account', () => {
    const [costExport] = resourcesOfType(infra('azure'), 'azurerm_subscription_cost_management_export');
    expect(costExport.export_data_options).toEqual({ type: cost.azure.exportCostType, time_frame: 'MonthToDate' });
    expect(named(infra('azure'), 'azurerm_storage_account', 'cost-export_')).toEqual([expect.objectContaining({ name: cost.azure.exportStorageAccountName })]);
  });

  it('lets the cost analyzer\'s identity on each cloud read that cloud\'s export', () => {
    const awsGrant = named(infra('aws'), 'aws_iam_role_policy', 'cluster_identity-cost-analyzer_');
    expect(awsGrant.flatMap((policy) => policyOf(policy).Statement.map((statement) => statement.Sid))).toEqual(['ListCostExports', 'ReadCostExports', 'DecryptCostExports']);

    const gcpViewer = named(infra('gcp'), 'google_bigquery_dataset_iam_member', 'cluster_identity-cost-analyzer_');
    expect(gcpViewer).toEqual([expect.objectContaining({ role: 'roles/bigquery.dataViewer', member: expect.stringMatching(/identity-cost-analyzer_service-account_.*\.member/) })]);
    expect(named(infra('gcp'), 'google_project_iam_member', 'cluster_identity-cost-analyzer_')).toEqual([expect.objectContaining({ role: 'roles/bigquery.jobUser' })]);

    const azureGrant = named(infra('azure'), 'azurerm_role_assignment', 'cluster_identity-cost-analyzer_');
    expect(azureGrant).toEqual([expect.objectContaining({ role_definition_name: 'Storage Blob Data Reader', scope: expect.stringMatching(/azurerm_storage_container\.cost-export_container_/) })]);
  });
});
