import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { AccessLogBucket } from '../../../constructs/aws/access-log-bucket';
import { AwsCostExport, FOCUS_COLUMNS, type AwsCostExportProps } from '../../../constructs/aws/cost-export';
import { WorkloadIdentity } from '../../../constructs/aws/workload-identity';
import { onlyResourceOfType, parse, policyOf, resourcesOfType, synthConstructs } from '../../helpers/synth';

const ACCOUNT = '111111111111';

function costExport(scope: Construct, overrides: Partial<AwsCostExportProps> = {}): AwsCostExport {
  return new AwsCostExport(scope, 'cost-export', {
    bucketName: 'skyline-test-cost-exports',
    accountId: ACCOUNT,
    exportName: 'skyline-test-focus',
    dataExportsProvider: new AwsProvider(scope, 'aws-data-exports', { alias: 'data-exports', region: 'us-east-1' }),
    region: 'us-west-2',
    retentionDays: 400,
    noncurrentVersionRetentionDays: 14,
    accessLogs: new AccessLogBucket(scope, 'access-logs', { bucketPrefix: 'skyline-test-logs-', accountId: ACCOUNT, retentionDays: 30 }),
    ...overrides,
  });
}

/** The resources of `type` that belong to the export construct (the access-log bucket has its own). */
function ofExport(synthesized: string, type: string): Record<string, unknown>[] {
  return Object.entries(parse(synthesized).resource?.[type] ?? {})
    .filter(([name]) => name.startsWith('cost-export_'))
    .map(([, resource]) => resource);
}

function onlyOfExport(synthesized: string, type: string): Record<string, unknown> {
  const resources = ofExport(synthesized, type);
  if (resources.length !== 1) throw new Error(`expected one ${type} of the export, found ${resources.length}`);
  return resources[0];
}

interface ExportBlock {
  name: string;
  data_query: { query_statement: string; table_configurations: Record<string, Record<string, string>> }[];
  destination_configurations: { s3_destination: { s3_bucket: string; s3_prefix: string; s3_region: string; s3_output_configurations: Record<string, string>[] }[] }[];
  refresh_cadence: { frequency: string }[];
}

describe('aws AwsCostExport', () => {
  const synthesized = synthConstructs((scope) => costExport(scope));
  const exportResource = onlyResourceOfType(synthesized, 'aws_bcmdataexports_export');
  const [exportBlock] = exportResource.export as ExportBlock[];

  it('exports every column of the FOCUS 1.2 table, daily rows', () => {
    const [query] = exportBlock.data_query;
    expect(query.query_statement).toBe(`SELECT ${FOCUS_COLUMNS.join(', ')} FROM FOCUS_1_2_AWS`);
    // The FOCUS columns the analyzer aggregates on, and the AWS extensions, are all there.
    expect(FOCUS_COLUMNS).toEqual(expect.arrayContaining(['BilledCost', 'EffectiveCost', 'ServiceCategory', 'ChargePeriodStart', 'BillingCurrency', 'x_ServiceCode']));
    expect(new Set(FOCUS_COLUMNS).size).toBe(FOCUS_COLUMNS.length);
    expect(query.table_configurations).toEqual({ FOCUS_1_2_AWS: { TIME_GRANULARITY: 'DAILY' } });
  });

  it('writes Parquet into its bucket, overwriting each billing period, refreshed with the bill', () => {
    const [destination] = exportBlock.destination_configurations[0].s3_destination;
    expect(destination).toMatchObject({ s3_prefix: 'focus', s3_region: 'us-west-2', s3_bucket: expect.stringMatching(/aws_s3_bucket\.cost-export_bucket_.*\.bucket/) });
    expect(destination.s3_output_configurations).toEqual([{ format: 'PARQUET', compression: 'PARQUET', output_type: 'CUSTOM', overwrite: 'OVERWRITE_REPORT' }]);
    expect(exportBlock.refresh_cadence).toEqual([{ frequency: 'SYNCHRONOUS' }]);
    expect(exportBlock.name).toBe('skyline-test-focus');
  });

  it('is created through the us-east-1 provider, after the bucket policy it is checked against', () => {
    expect(exportResource.provider).toBe('aws.data-exports');
    expect(exportResource.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.cost-export_policy_/)]);
  });

  it('accepts deliveries only from the export services acting for this account, as AWS documents', () => {
    const statements = policyOf(onlyOfExport(synthesized, 'aws_s3_bucket_policy')).Statement;
    expect(statements.find((statement) => statement.Sid === 'EnableAWSDataExportsToWriteToS3AndCheckPolicy')).toEqual({
      Sid: 'EnableAWSDataExportsToWriteToS3AndCheckPolicy',
      Effect: 'Allow',
      Principal: { Service: ['bcm-data-exports.amazonaws.com', 'billingreports.amazonaws.com'] },
      Action: ['s3:PutObject', 's3:GetBucketPolicy'],
      Resource: [expect.stringMatching(/\.arn\}\/\*$/), expect.stringMatching(/\.arn\}$/)],
      Condition: {
        StringLike: {
          'aws:SourceAccount': ACCOUNT,
          'aws:SourceArn': [`arn:aws:cur:us-east-1:${ACCOUNT}:definition/*`, `arn:aws:bcm-data-exports:us-east-1:${ACCOUNT}:export/*`],
        },
      },
    });
  });

  it('denies every request that is not over TLS', () => {
    const statements = policyOf(onlyOfExport(synthesized, 'aws_s3_bucket_policy')).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('encrypts with its own rotating key, which the export services may use for this account only', () => {
    const [rule] = onlyOfExport(synthesized, 'aws_s3_bucket_server_side_encryption_configuration').rule as { apply_server_side_encryption_by_default: Record<string, string>; bucket_key_enabled: boolean }[];
    expect(rule.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\.cost-export_key_.*\.arn/) });
    expect(rule.bucket_key_enabled).toBe(true);
    const key = onlyResourceOfType(synthesized, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    const services = policyOf(key).Statement.filter((statement) => (statement.Principal as { Service?: string }).Service);
    expect(services.map((statement) => (statement.Principal as { Service: string }).Service).sort()).toEqual(['bcm-data-exports.amazonaws.com', 'billingreports.amazonaws.com']);
    for (const statement of services) {
      expect(statement.Action).toContain('kms:GenerateDataKey*');
      expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT } });
    }
  });

  it('keeps versions, blocks public access, disables ACLs and logs every request', () => {
    expect(onlyOfExport(synthesized, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(onlyOfExport(synthesized, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(onlyOfExport(synthesized, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(onlyOfExport(synthesized, 'aws_s3_bucket_logging')).toMatchObject({ target_bucket: expect.stringMatching(/aws_s3_bucket\.access-logs_bucket_/), target_prefix: 'skyline-test-cost-exports/' });
  });

  it('expires export files after the retention period, and replaced versions sooner', () => {
    const rules = onlyOfExport(synthesized, 'aws_s3_bucket_lifecycle_configuration').rule as Record<string, unknown>[];
    expect(rules).toContainEqual(expect.objectContaining({ status: 'Enabled', expiration: [{ days: 400 }], noncurrent_version_expiration: [{ noncurrent_days: 14 }] }));
    expect(rules).toContainEqual(expect.objectContaining({ status: 'Enabled', abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }));
  });

  it('keeps the bucket on destroy unless told otherwise', () => {
    expect(onlyOfExport(synthesized, 'aws_s3_bucket').force_destroy).toBe(false);
    const disposable = synthConstructs((scope) => costExport(scope, { retainObjectsOnDestroy: false }));
    expect(onlyOfExport(disposable, 'aws_s3_bucket').force_destroy).toBe(true);
  });

  it('names where the files land with plain strings, for a reader in another stack', () => {
    let location: AwsCostExport['exportLocation'] | undefined;
    synthConstructs((scope) => {
      location = costExport(scope, { prefix: 'billing' }).exportLocation;
    });
    expect(location).toEqual({ bucket: 'skyline-test-cost-exports', prefix: 'billing/skyline-test-focus/data/', region: 'us-west-2' });
  });

  it('grants read: list, get and decrypt, nothing that writes', () => {
    const grants = synthConstructs((scope) => {
      const reader = new WorkloadIdentity(scope, 'reader', {
        roleName: 'cost-analyzer',
        oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/example`,
        oidcIssuerHost: 'oidc.example',
        serviceAccount: { namespace: 'skyline-system', name: 'cost-analyzer' },
      });
      costExport(scope).grantRead(reader);
    });
    const statements = resourcesOfType(grants, 'aws_iam_role_policy').flatMap((policy) => policyOf(policy).Statement);
    expect(statements.flatMap((statement) => statement.Action as string[]).sort()).toEqual(['kms:Decrypt', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket']);
    expect(statements.find((statement) => statement.Sid === 'DecryptCostExports')?.Resource).toEqual([expect.stringMatching(/aws_kms_key\.cost-export_key_.*\.arn/)]);
  });
});
