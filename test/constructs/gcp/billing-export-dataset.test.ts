import type { Construct } from 'constructs';
import { BillingExportDataset, kmsLocationOf, type BillingExportDatasetProps } from '../../../constructs/gcp/billing-export-dataset';
import { GcpWorkloadIdentity } from '../../../constructs/gcp/workload-identity';
import { onlyResourceOfType, parse, resourcesOfType, synthConstructs } from '../../helpers/synth';

const props: BillingExportDatasetProps = {
  datasetId: 'skyline_test_billing',
  location: 'EU',
  projectId: 'skyline-test',
  projectNumber: '123456789012',
  billingAccountId: '01A2B3-C4D5E6-F7A8B9',
};

function dataset(scope: Construct, overrides: Partial<BillingExportDatasetProps> = {}): BillingExportDataset {
  return new BillingExportDataset(scope, 'billing-export', { ...props, ...overrides });
}

describe('gcp BillingExportDataset', () => {
  const synthesized = synthConstructs((scope) => dataset(scope));
  const bigqueryDataset = onlyResourceOfType(synthesized, 'google_bigquery_dataset');

  it('is a dataset in the multi-region the export backfills', () => {
    expect(bigqueryDataset).toMatchObject({ dataset_id: 'skyline_test_billing', project: 'skyline-test', location: 'EU' });
  });

  it('encrypts with its own key, in the KMS location matching the dataset, usable by BigQuery only', () => {
    expect(bigqueryDataset.default_encryption_configuration).toEqual({ kms_key_name: expect.stringMatching(/google_kms_crypto_key\.billing-export_key_.*\.id/) });
    expect(onlyResourceOfType(synthesized, 'google_kms_key_ring').location).toBe('europe');
    const grant = onlyResourceOfType(synthesized, 'google_kms_crypto_key_iam_member');
    expect(grant).toMatchObject({ role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member: expect.stringMatching(/data\.google_bigquery_default_service_account\..*\.member/) });
    // BigQuery checks its access to the key when the dataset is created.
    expect(bigqueryDataset.depends_on).toEqual([expect.stringMatching(/^google_kms_crypto_key_iam_member\.billing-export_key_bigquery-service-agent_/)]);
  });

  it('manages no authoritative access list, so the writer Google adds when the export is enabled stays', () => {
    expect(bigqueryDataset.access).toBeUndefined();
    expect(resourcesOfType(synthesized, 'google_bigquery_dataset_access')).toEqual([]);
    expect(resourcesOfType(synthesized, 'google_bigquery_dataset_iam_policy')).toEqual([]);
  });

  it('refuses to destroy the dataset, its tables and its key unless told otherwise', () => {
    expect(bigqueryDataset).toMatchObject({ delete_contents_on_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(onlyResourceOfType(synthesized, 'google_kms_crypto_key').lifecycle).toEqual({ prevent_destroy: true });
    const disposable = onlyResourceOfType(synthConstructs((scope) => dataset(scope, { retainOnDestroy: false })), 'google_bigquery_dataset');
    expect(disposable).toMatchObject({ delete_contents_on_destroy: true, lifecycle: { prevent_destroy: false } });
  });

  it('names the table Google creates for the standard usage cost export', () => {
    let location: BillingExportDataset['exportLocation'] | undefined;
    synthConstructs((scope) => {
      location = dataset(scope).exportLocation;
    });
    expect(location).toEqual({ project: 'skyline-test', dataset: 'skyline_test_billing', table: 'gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9', location: 'EU' });
  });

  it('lets a reader view the dataset and run query jobs, and nothing more', () => {
    const grants = parse(
      synthConstructs((scope) => {
        const reader = new GcpWorkloadIdentity(scope, 'cost-analyzer', {
          accountId: 'skyline-test-cost-analyzer',
          workloadPool: 'skyline-test.svc.id.goog',
          serviceAccount: { namespace: 'skyline-system', name: 'cost-analyzer' },
        });
        dataset(scope).grantRead(reader);
      }),
    );
    const member = expect.stringMatching(/google_service_account\.cost-analyzer_service-account_.*\.member/);
    expect(Object.values(grants.resource?.google_bigquery_dataset_iam_member ?? {})).toEqual([
      { project: 'skyline-test', dataset_id: expect.stringMatching(/google_bigquery_dataset\.billing-export_dataset_.*\.dataset_id/), role: 'roles/bigquery.dataViewer', member },
    ]);
    expect(Object.values(grants.resource?.google_project_iam_member ?? {})).toEqual([{ project: 'skyline-test', role: 'roles/bigquery.jobUser', member }]);
  });

  it('refuses a dataset ID BigQuery would refuse', () => {
    expect(() => synthConstructs((scope) => dataset(scope, { datasetId: 'skyline-test' }))).toThrow(/dataset ID "skyline-test" must be letters, digits and underscores only/);
  });

  it.each([
    ['EU', 'europe'],
    ['US', 'us'],
    ['europe-west1', 'europe-west1'],
  ])('keeps a %s dataset\'s key in %s', (datasetLocation, keyLocation) => {
    expect(kmsLocationOf(datasetLocation)).toBe(keyLocation);
  });
});
