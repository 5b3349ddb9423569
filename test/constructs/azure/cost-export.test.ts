import type { Construct } from 'constructs';
import { AzureCostExport, EXPORT_SCHEDULE_END, type AzureCostExportProps } from '../../../constructs/azure/cost-export';
import { AzureWorkloadIdentity } from '../../../constructs/azure/workload-identity';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const props: AzureCostExportProps = {
  storageAccountName: 'skylinetestcost',
  resourceGroupName: 'skyline-test-rg',
  location: 'centralindia',
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  exportName: 'skylinetestamortizedcost',
  costType: 'AmortizedCost',
  retentionDays: 400,
  accessLogWorkspace: { id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/skyline-test-rg/providers/Microsoft.OperationalInsights/workspaces/logs' },
  tags: { 'managed-by': 'cdktf' },
};

function costExport(scope: Construct, overrides: Partial<AzureCostExportProps> = {}): AzureCostExport {
  return new AzureCostExport(scope, 'cost-export', { ...props, ...overrides });
}

describe('azure AzureCostExport', () => {
  const synthesized = synthConstructs((scope) => costExport(scope));
  const exportResource = onlyResourceOfType(synthesized, 'azurerm_subscription_cost_management_export');
  const account = onlyResourceOfType(synthesized, 'azurerm_storage_account');

  it('exports the subscription\'s month-to-date amortized cost every day, as CSV', () => {
    expect(exportResource).toMatchObject({
      name: 'skylinetestamortizedcost',
      subscription_id: '/subscriptions/00000000-0000-0000-0000-000000000000',
      recurrence_type: 'Daily',
      file_format: 'Csv',
      export_data_options: { type: 'AmortizedCost', time_frame: 'MonthToDate' },
    });
  });

  it('exports actual cost when asked', () => {
    const actual = onlyResourceOfType(synthConstructs((scope) => costExport(scope, { costType: 'ActualCost' })), 'azurerm_subscription_cost_management_export');
    expect(actual.export_data_options).toEqual({ type: 'ActualCost', time_frame: 'MonthToDate' });
  });

  it('writes into the container of its own account, under the root folder', () => {
    expect(exportResource.export_data_storage_location).toEqual({
      container_id: expect.stringMatching(/azurerm_storage_container\.cost-export_container_.*\.id/),
      root_folder_path: 'exports',
    });
    expect(onlyResourceOfType(synthesized, 'azurerm_storage_container')).toMatchObject({ name: 'cost-exports', container_access_type: 'private' });
  });

  it('starts the schedule after the first plan and keeps that start, so the clock never replaces the export', () => {
    expect(exportResource.recurrence_period_start_date).toBe('${timeadd(timestamp(), "1h")}');
    expect(exportResource.recurrence_period_end_date).toBe(EXPORT_SCHEDULE_END);
    expect(exportResource.lifecycle).toEqual({ ignore_changes: ['recurrence_period_start_date'] });
  });

  it('stores with the model storage account\'s settings: Entra ID only, TLS 1.2+, private, double-encrypted', () => {
    expect(account).toMatchObject({
      name: 'skylinetestcost',
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      infrastructure_encryption_enabled: true,
      account_replication_type: 'ZRS',
      tags: { 'managed-by': 'cdktf' },
      lifecycle: { prevent_destroy: true },
    });
    expect(account.blob_properties).toMatchObject({ versioning_enabled: true, delete_retention_policy: { days: 7 } });
  });

  it('logs every blob read, write and delete to the workspace', () => {
    expect(onlyResourceOfType(synthesized, 'azurerm_monitor_diagnostic_setting')).toMatchObject({
      target_resource_id: expect.stringMatching(/azurerm_storage_account\.cost-export_account_.*\.id\}\/blobServices\/default$/),
      log_analytics_workspace_id: props.accessLogWorkspace.id,
      enabled_log: [{ category: 'StorageRead' }, { category: 'StorageWrite' }, { category: 'StorageDelete' }],
    });
  });

  it('deletes export files after the retention period', () => {
    const [rule] = onlyResourceOfType(synthesized, 'azurerm_storage_management_policy').rule as Record<string, unknown>[];
    expect(rule).toMatchObject({
      enabled: true,
      filters: { blob_types: ['blockBlob'], prefix_match: ['cost-exports/exports/'] },
      actions: { base_blob: { delete_after_days_since_modification_greater_than: 400 } },
    });
  });

  it('names where the files land with plain strings, for a reader in another stack', () => {
    let location: AzureCostExport['exportLocation'] | undefined;
    synthConstructs((scope) => {
      location = costExport(scope).exportLocation;
    });
    expect(location).toEqual({ accountUrl: 'https://skylinetestcost.blob.core.windows.net', container: 'cost-exports', prefix: 'exports/skylinetestamortizedcost/', costType: 'AmortizedCost' });
  });

  it('grants read on the export container only', () => {
    const grant = onlyResourceOfType(
      synthConstructs((scope) => {
        const reader = new AzureWorkloadIdentity(scope, 'cost-analyzer', {
          identityName: 'cost-analyzer',
          resourceGroupName: 'skyline-test-rg',
          location: 'centralindia',
          oidcIssuerUrl: 'https://issuer.example/',
          serviceAccount: { namespace: 'skyline-system', name: 'cost-analyzer' },
        });
        costExport(scope).grantRead(reader);
      }),
      'azurerm_role_assignment',
    );
    expect(grant).toMatchObject({ role_definition_name: 'Storage Blob Data Reader', scope: expect.stringMatching(/azurerm_storage_container\.cost-export_container_.*\.id/) });
  });

  it('refuses an export name Cost Management refuses', () => {
    expect(() => synthConstructs((scope) => costExport(scope, { exportName: 'skyline-test' }))).toThrow(/export name "skyline-test" must be 1-64 letters and digits/);
  });
});
