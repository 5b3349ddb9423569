import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { ModelStorage, type ModelStorageProps } from '../../../constructs/azure/model-storage';
import { AzureWorkloadIdentity } from '../../../constructs/azure/workload-identity';
import { onlyResourceOfType, resourcesOfType, synthConstructs } from '../../helpers/synth';

const props: ModelStorageProps = {
  storageAccountName: 'skylinetestmodels',
  resourceGroupName: 'skyline-test-rg',
  location: 'centralindia',
  noncurrentVersionRetentionDays: 14,
  accessLogWorkspace: { id: '/subscriptions/s/resourceGroups/skyline-test-rg/providers/Microsoft.OperationalInsights/workspaces/logs' },
  tags: { 'managed-by': 'cdktf' },
};

function accountOf(synthesized: string): Record<string, unknown> {
  return onlyResourceOfType(synthesized, 'azurerm_storage_account');
}

function grantsOf(grant: 'grantRead' | 'grantReadWrite'): Record<string, unknown>[] {
  return resourcesOfType(
    synthConstructs((scope) => {
      const storage = new ModelStorage(scope, 'model-storage', props);
      const identity = new AzureWorkloadIdentity(scope, 'replicator', {
        identityName: 'replicator',
        resourceGroupName: 'skyline-test-rg',
        location: 'centralindia',
        oidcIssuerUrl: 'https://issuer.example/',
        serviceAccount: { namespace: 'skyline-system', name: 'replicator' },
      });
      storage[grant](identity);
    }),
    'azurerm_role_assignment',
  );
}

describe('azure ModelStorage', () => {
  const synthesized = synthConstructs((scope) => new ModelStorage(scope, 'model-storage', props));
  const account = accountOf(synthesized);

  it('is a zone-redundant StorageV2 account', () => {
    expect(synthesized).toHaveResourceWithProperties(StorageAccount, {
      name: 'skylinetestmodels',
      account_kind: 'StorageV2',
      account_tier: 'Standard',
      account_replication_type: 'ZRS',
      tags: { 'managed-by': 'cdktf' },
    });
  });

  it('logs every blob read, write and delete to the access-log workspace', () => {
    expect(onlyResourceOfType(synthesized, 'azurerm_monitor_diagnostic_setting')).toEqual({
      name: 'blob-access-logs',
      target_resource_id: expect.stringMatching(/^\$\{azurerm_storage_account\.model-storage_account_\w+\.id\}\/blobServices\/default$/),
      log_analytics_workspace_id: props.accessLogWorkspace.id,
      enabled_log: [{ category: 'StorageRead' }, { category: 'StorageWrite' }, { category: 'StorageDelete' }],
    });
  });

  it('is geo-zone-redundant when asked', () => {
    const geo = accountOf(synthConstructs((scope) => new ModelStorage(scope, 'model-storage', { ...props, geoRedundant: true })));
    expect(geo.account_replication_type).toBe('GZRS');
  });

  it('accepts TLS 1.2+ over HTTPS only', () => {
    expect(account.min_tls_version).toBe('TLS1_2');
    expect(account.https_traffic_only_enabled).toBe(true);
  });

  it('allows no anonymous blob access', () => {
    expect(account.allow_nested_items_to_be_public).toBe(false);
    expect(synthesized).toHaveResourceWithProperties(StorageContainer, { name: 'models', container_access_type: 'private' });
  });

  it('turns shared keys (and so SAS) off and defaults the portal to Entra ID', () => {
    expect(account.shared_access_key_enabled).toBe(false);
    expect(account.default_to_oauth_authentication).toBe(true);
  });

  it('double-encrypts at rest', () => {
    expect(account.infrastructure_encryption_enabled).toBe(true);
  });

  it('keeps versions, a change feed, and soft-deleted blobs and containers for the retention period', () => {
    expect(account.blob_properties).toEqual({
      versioning_enabled: true,
      change_feed_enabled: true,
      change_feed_retention_in_days: 14,
      delete_retention_policy: { days: 14 },
      container_delete_retention_policy: { days: 14 },
    });
  });

  it('expires old versions after the retention period', () => {
    const policy = onlyResourceOfType(synthesized, 'azurerm_storage_management_policy');
    expect(policy.storage_account_id).toMatch(/^\$\{azurerm_storage_account\.model-storage_account_.*\.id\}$/);
    expect(policy.rule).toEqual([
      expect.objectContaining({
        enabled: true,
        filters: { blob_types: ['blockBlob'] },
        actions: { version: { delete_after_days_since_creation: 14 } },
      }),
    ]);
  });

  it('manages the container through Resource Manager, by account ID', () => {
    expect(onlyResourceOfType(synthesized, 'azurerm_storage_container').storage_account_id).toMatch(
      /^\$\{azurerm_storage_account\.model-storage_account_.*\.id\}$/,
    );
  });

  it('refuses destroy unless told otherwise', () => {
    expect(account.lifecycle).toEqual({ prevent_destroy: true });
    const disposable = accountOf(synthConstructs((scope) => new ModelStorage(scope, 'model-storage', { ...props, retainOnDestroy: false })));
    expect(disposable.lifecycle).toEqual({ prevent_destroy: false });
  });

  it('grants read as Storage Blob Data Reader on the container only', () => {
    const [grant] = grantsOf('grantRead');
    expect(grant.role_definition_name).toBe('Storage Blob Data Reader');
    expect(grant.scope).toMatch(/^\$\{azurerm_storage_container\.model-storage_container_.*\.id\}$/);
    expect(grant.principal_id).toMatch(/^\$\{azurerm_user_assigned_identity\.replicator_identity_.*\.principal_id\}$/);
  });

  it('grants read-write as Storage Blob Data Contributor on the container only, never an account-wide or Owner role', () => {
    const grants = grantsOf('grantReadWrite');
    expect(grants).toHaveLength(1);
    expect(grants[0].role_definition_name).toBe('Storage Blob Data Contributor');
    expect(grants[0].scope).toMatch(/^\$\{azurerm_storage_container\.model-storage_container_.*\.id\}$/);
  });
});
