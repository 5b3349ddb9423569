import type { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageManagementPolicy } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { SubscriptionCostManagementExport } from '@cdktf/provider-azurerm/lib/subscription-cost-management-export';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { BLOB_ACCESS_LOGS } from './model-storage';
import type { AzureWorkloadIdentity } from './workload-identity';

/**
 * Cost types the pinned azurerm provider can export. `FocusCost` is not among them until
 * hashicorp/terraform-provider-azurerm#29705 lands: docs/adr/008-azure-cost-export-format.md.
 */
export type AzureExportCostType = 'AmortizedCost' | 'ActualCost';

/**
 * Where a recurring export's schedule ends. The API requires an end; this is the portal's own default for
 * "no end" (it inserts 2050-02-01), far enough that nothing here outlives it.
 */
export const EXPORT_SCHEDULE_END = '2050-02-01T00:00:00Z';

export interface AzureCostExportProps {
  /** Globally unique storage account name: 3-24 lowercase letters and digits. */
  readonly storageAccountName: string;
  readonly resourceGroupName: string;
  /** Azure region of the storage account, e.g. `centralindia`. */
  readonly location: string;
  /** The subscription whose cost is exported (a UUID). */
  readonly subscriptionId: string;
  /** Name of the export, letters and digits only; it is also a folder of every file. */
  readonly exportName: string;
  /** Amortized (reservations spread over their term, the FOCUS EffectiveCost view) or actual cost. */
  readonly costType: AzureExportCostType;
  /** Days an export file is kept. A new file is written every day for the month so far. */
  readonly retentionDays: number;
  /** Log Analytics workspace that receives the blob service's request logs (table `StorageBlobLogs`). */
  readonly accessLogWorkspace: Pick<LogAnalyticsWorkspace, 'id'>;
  /** @default 'cost-exports' */
  readonly containerName?: string;
  /** @default 'exports' */
  readonly rootFolderPath?: string;
  /**
   * Make Terraform refuse to destroy or replace the storage account (and with it the cost history).
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
 * The subscription's Cost Management export: every day, the month-to-date amortized (or actual) cost as CSV, into a
 * container of its own storage account. The account has the model storage account's settings: Entra ID
 * authentication only (no shared keys, no SAS), TLS 1.2+, HTTPS only, no anonymous access, double encryption at
 * rest, versioning and soft delete, every blob read, write and delete logged; files expire after the retention
 * period. The export's first run needs the
 * subscription registered with Microsoft.CostManagementExports (docs/runbooks/enable-billing-exports.md).
 */
export class AzureCostExport extends Construct {
  readonly account: StorageAccount;
  readonly container: StorageContainer;
  readonly export: SubscriptionCostManagementExport;
  readonly storageAccountName: string;
  /**
   * Where the CSV files land, and the cost they hold, as plain strings known at synth (a reader in another stack
   * needs no reference): `<accountUrl>/<container>/<prefix><yyyyMMdd-yyyyMMdd>/<exportName>_<id>.csv`.
   */
  readonly exportLocation: { readonly accountUrl: string; readonly container: string; readonly prefix: string; readonly costType: AzureExportCostType };

  constructor(scope: Construct, id: string, props: AzureCostExportProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9]{1,64}$/.test(props.exportName)) {
      throw new Error(`AzureCostExport: export name "${props.exportName}" must be 1-64 letters and digits (Cost Management refuses hyphens), such as skylineprodamortizedcost`);
    }
    const rootFolderPath = props.rootFolderPath ?? 'exports';
    const containerName = props.containerName ?? 'cost-exports';
    const retain = props.retainOnDestroy ?? true;
    this.exportLocation = {
      accountUrl: `https://${props.storageAccountName}.blob.core.windows.net`,
      container: containerName,
      prefix: `${rootFolderPath}/${props.exportName}/`,
      costType: props.costType,
    };
    this.account = new StorageAccount(this, 'account', {
      name: props.storageAccountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: 'ZRS',
      minTlsVersion: 'TLS1_2',
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      infrastructureEncryptionEnabled: true,
      // The analyzer reads from the primary region's cluster on another cloud: the boundary is Entra ID plus role
      // assignments, as for the model storage account.
      publicNetworkAccessEnabled: true,
      blobProperties: {
        versioningEnabled: true,
        deleteRetentionPolicy: { days: 7 },
        containerDeleteRetentionPolicy: { days: 7 },
      },
      tags: { ...props.tags },
      lifecycle: { preventDestroy: retain },
    });
    this.storageAccountName = this.account.name;
    this.container = new StorageContainer(this, 'container', {
      name: containerName,
      storageAccountId: this.account.id,
      containerAccessType: 'private',
    });
    // Who read which bill: the blob service's request logs, as for the model storage account.
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
          name: 'expire-old-exports',
          enabled: true,
          filters: { blobTypes: ['blockBlob'], prefixMatch: [`${containerName}/${rootFolderPath}/`] },
          actions: {
            baseBlob: { deleteAfterDaysSinceModificationGreaterThan: props.retentionDays },
            version: { deleteAfterDaysSinceCreation: 7 },
          },
        },
      ],
    });

    this.export = new SubscriptionCostManagementExport(this, 'export', {
      name: props.exportName,
      subscriptionId: `/subscriptions/${props.subscriptionId}`,
      recurrenceType: 'Daily',
      // The API refuses a start in the past, so the first apply starts the schedule an hour after planning; later
      // plans keep the start it got (ignore_changes below), so the export is never recreated by the clock.
      recurrencePeriodStartDate: Fn.timeadd(Fn.timestamp(), '1h'),
      recurrencePeriodEndDate: EXPORT_SCHEDULE_END,
      fileFormat: 'Csv',
      exportDataStorageLocation: { containerId: this.container.id, rootFolderPath },
      exportDataOptions: { type: props.costType, timeFrame: 'MonthToDate' },
      lifecycle: { ignoreChanges: ['recurrence_period_start_date'] },
    });
  }

  /** Lets `identity` list and read the export files. */
  grantRead(identity: AzureWorkloadIdentity): void {
    identity.addRoleAssignment(`read-${this.node.id}`, 'Storage Blob Data Reader', this.container.id);
  }
}
