import type { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageManagementPolicy } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { Construct } from 'constructs';
import type { AzureWorkloadIdentity } from './workload-identity';

/** Blob request logs kept: every read, write and delete, with the caller's identity and address. */
export const BLOB_ACCESS_LOGS = ['StorageRead', 'StorageWrite', 'StorageDelete'] as const;

/** The container model versions live in. */
export const MODEL_CONTAINER_NAME = 'models';

export interface ModelStorageProps {
  /** Globally unique: 3-24 lowercase letters and digits. */
  readonly storageAccountName: string;
  readonly resourceGroupName: string;
  /** Azure region, e.g. `centralindia`. */
  readonly location: string;
  /** Days a replaced or deleted blob version (and a deleted blob or container) is kept. */
  readonly noncurrentVersionRetentionDays: number;
  /** Log Analytics workspace that receives the blob service's request logs (table `StorageBlobLogs`). */
  readonly accessLogWorkspace: Pick<LogAnalyticsWorkspace, 'id'>;
  /**
   * Replicate to the paired region as well (GZRS) instead of across zones only (ZRS).
   * @default false
   */
  readonly geoRedundant?: boolean;
  /**
   * Make Terraform refuse to destroy or replace the account (and with it every model).
   * @default true
   */
  readonly retainOnDestroy?: boolean;
  /**
   * Tags on the storage account.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The storage account that holds model versions: Entra ID authentication only
 * (shared keys and SAS off), TLS 1.2+, HTTPS only, no anonymous blob access,
 * double encryption at rest, versioning, change feed and soft delete, old
 * versions expired after the retention period, and every blob read, write and
 * delete logged to a Log Analytics workspace.
 */
export class ModelStorage extends Construct {
  readonly account: StorageAccount;
  readonly container: StorageContainer;
  readonly storageAccountName: string;
  readonly containerName: string;

  constructor(scope: Construct, id: string, props: ModelStorageProps) {
    super(scope, id);
    const retentionDays = props.noncurrentVersionRetentionDays;
    this.account = new StorageAccount(this, 'account', {
      name: props.storageAccountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: props.geoRedundant ? 'GZRS' : 'ZRS',
      minTlsVersion: 'TLS1_2',
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      // Identities only: no account keys, hence no SAS either. The provider reaches the data plane with
      // Entra ID too (storage_use_azuread on the provider).
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      // A second, independent encryption layer at rest (platform-managed keys).
      infrastructureEncryptionEnabled: true,
      // Reachable from anywhere because replication writes arrive from the primary region on another cloud;
      // the boundary is Entra ID authentication plus role assignments, not the network.
      publicNetworkAccessEnabled: true,
      blobProperties: {
        versioningEnabled: true,
        // An audit trail of every blob change, kept as long as the versions it describes.
        changeFeedEnabled: true,
        changeFeedRetentionInDays: retentionDays,
        deleteRetentionPolicy: { days: retentionDays },
        containerDeleteRetentionPolicy: { days: retentionDays },
      },
      tags: { ...props.tags },
      lifecycle: { preventDestroy: props.retainOnDestroy ?? true },
    });
    this.storageAccountName = this.account.name;

    this.container = new StorageContainer(this, 'container', {
      name: MODEL_CONTAINER_NAME,
      // By account ID, so the container is managed through Azure Resource Manager, not the data plane.
      storageAccountId: this.account.id,
      containerAccessType: 'private',
    });
    this.containerName = this.container.name;

    // Request logs of the blob service (who read or wrote which model file), the counterpart of S3 server access logs.
    new MonitorDiagnosticSetting(this, 'blob-access-logs', {
      name: 'blob-access-logs',
      targetResourceId: `${this.account.id}/blobServices/default`,
      logAnalyticsWorkspaceId: props.accessLogWorkspace.id,
      enabledLog: BLOB_ACCESS_LOGS.map((category) => ({ category })),
    });

    new StorageManagementPolicy(this, 'lifecycle', {
      storageAccountId: this.account.id,
      rule: [
        {
          name: 'expire-old-versions',
          enabled: true,
          filters: { blobTypes: ['blockBlob'] },
          // Azure ages a version from its creation; once deleted here, soft delete keeps it recoverable for as long again.
          actions: { version: { deleteAfterDaysSinceCreation: retentionDays } },
        },
      ],
    });
  }

  /** Lets `identity` list and read blobs in the model container. */
  grantRead(identity: AzureWorkloadIdentity): void {
    identity.addRoleAssignment(`read-${this.node.id}`, 'Storage Blob Data Reader', this.container.id);
  }

  /** Lets `identity` read, write and delete blobs in the model container (a replication destination). */
  grantReadWrite(identity: AzureWorkloadIdentity): void {
    identity.addRoleAssignment(`read-write-${this.node.id}`, 'Storage Blob Data Contributor', this.container.id);
  }
}
