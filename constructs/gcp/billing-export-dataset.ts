import { BigqueryDataset } from '@cdktf/provider-google/lib/bigquery-dataset';
import { BigqueryDatasetIamMember } from '@cdktf/provider-google/lib/bigquery-dataset-iam-member';
import { DataGoogleBigqueryDefaultServiceAccount } from '@cdktf/provider-google/lib/data-google-bigquery-default-service-account';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { Construct } from 'constructs';
import { GcpEncryptionKey } from './encryption-key';
import type { GcpWorkloadIdentity } from './workload-identity';

/** Cloud KMS location of a key that may protect a dataset: the same place (`EU` -> `europe`, `US` -> `us`, a region itself). */
export function kmsLocationOf(datasetLocation: string): string {
  const multiRegions: Readonly<Record<string, string>> = { EU: 'europe', US: 'us' };
  return multiRegions[datasetLocation] ?? datasetLocation;
}

export interface BillingExportDatasetProps {
  /** Dataset ID: letters, digits and underscores. */
  readonly datasetId: string;
  /** `EU`, `US` or a region. Multi-regions get the previous month backfilled when the export is enabled. */
  readonly location: string;
  /** The project holding the dataset: the analyzer's query jobs run (and are billed) there. */
  readonly projectId: string;
  /** Its number, which names the BigQuery encryption service agent. */
  readonly projectNumber: string;
  /** The billing account whose export fills the dataset: it names the export table. */
  readonly billingAccountId: string;
  /**
   * Refuse `terraform destroy` of a dataset that holds tables, and of its key.
   * @default true
   */
  readonly retainOnDestroy?: boolean;
}

/**
 * The BigQuery dataset the Cloud Billing export writes to, encrypted with its own rotating Cloud KMS key (CMEK) in
 * the dataset's location. The export itself can only be enabled in the console (docs/runbooks/enable-billing-exports.md):
 * Google then adds its writer, `billing-export-bigquery@system.gserviceaccount.com`, as an owner of the dataset. Grants
 * here are IAM members, never an authoritative access list, so that binding is never removed by a plan.
 */
export class BillingExportDataset extends Construct {
  readonly dataset: BigqueryDataset;
  readonly encryptionKey: GcpEncryptionKey;
  /**
   * The table the standard usage cost export fills, as plain strings known at synth (a reader in another stack needs
   * no reference). Google names it `gcp_billing_export_v1_<billing account ID, dashes as underscores>`.
   */
  readonly exportLocation: { readonly project: string; readonly dataset: string; readonly table: string; readonly location: string };
  private readonly projectId: string;

  constructor(scope: Construct, id: string, props: BillingExportDatasetProps) {
    super(scope, id);
    if (!/^\w{1,1024}$/.test(props.datasetId)) {
      throw new Error(`BillingExportDataset: dataset ID "${props.datasetId}" must be letters, digits and underscores only, such as skyline_prod_billing`);
    }
    const retain = props.retainOnDestroy ?? true;
    this.projectId = props.projectId;
    this.exportLocation = {
      project: props.projectId,
      dataset: props.datasetId,
      table: `gcp_billing_export_v1_${props.billingAccountId.replace(/-/g, '_')}`,
      location: props.location,
    };
    this.encryptionKey = new GcpEncryptionKey(this, 'key', {
      keyRingName: props.datasetId.replace(/_/g, '-'),
      keyName: 'tables',
      location: kmsLocationOf(props.location),
      preventDestroy: retain,
    });
    // Reading BigQuery's encryption service agent also creates it, which a new project may not have yet.
    const bigqueryAgent = new DataGoogleBigqueryDefaultServiceAccount(this, 'bigquery-service-agent', { project: props.projectId });
    const keyGrant = this.encryptionKey.grantEncryptDecrypt('bigquery-service-agent', bigqueryAgent.member);
    this.dataset = new BigqueryDataset(this, 'dataset', {
      datasetId: props.datasetId,
      project: props.projectId,
      location: props.location,
      description: `Cloud Billing export of account ${props.billingAccountId}, written by Google (enabled in the console)`,
      defaultEncryptionConfiguration: { kmsKeyName: this.encryptionKey.id },
      deleteContentsOnDestroy: !retain,
      lifecycle: { preventDestroy: retain },
      // BigQuery refuses a default key it cannot use.
      dependsOn: [keyGrant],
    });
  }

  /**
   * Lets `identity` query the export: read the dataset's tables, and run query jobs in the project (a dataset grant
   * alone reads nothing through SQL: every query is a job).
   */
  grantRead(identity: GcpWorkloadIdentity): void {
    new BigqueryDatasetIamMember(identity, `read-${this.node.id}`, {
      project: this.projectId,
      datasetId: this.dataset.datasetId,
      role: 'roles/bigquery.dataViewer',
      member: identity.member,
    });
    new ProjectIamMember(identity, `query-${this.node.id}`, { project: this.projectId, role: 'roles/bigquery.jobUser', member: identity.member });
  }
}
