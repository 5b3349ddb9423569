import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import type { Construct } from 'constructs';
import { AccessLogBucket } from '../../../constructs/aws/access-log-bucket';
import { ModelBucket, type ModelBucketProps } from '../../../constructs/aws/model-bucket';
import { WorkloadIdentity } from '../../../constructs/aws/workload-identity';
import { parse, policyOf, resourcesOfType, synthConstructs } from '../../helpers/synth';

const props = { bucketName: 'models-test', accountId: '111111111111', noncurrentVersionRetentionDays: 14 };

/** A ModelBucket next to the access-log bucket it logs to (constructed in the same scope). */
function modelBucket(scope: Construct, overrides: Partial<ModelBucketProps> = {}): ModelBucket {
  const accessLogs = new AccessLogBucket(scope, 'access-logs', { bucketPrefix: 'access-logs-', accountId: props.accountId, retentionDays: 30 });
  return new ModelBucket(scope, 'model-bucket', { ...props, accessLogs, ...overrides });
}

/** The single resource of `type` that belongs to the model bucket (not to the access-log bucket beside it). */
function onlyResourceOfType(synthesized: string, type: string): Record<string, unknown> {
  const resources = Object.entries(parse(synthesized).resource?.[type] ?? {}).filter(([name]) => name.startsWith('model-bucket_'));
  if (resources.length !== 1) throw new Error(`expected exactly one ${type} of the model bucket, found ${resources.length}`);
  return resources[0][1];
}

describe('aws ModelBucket', () => {
  const synthesized = synthConstructs((scope) => modelBucket(scope));

  it('blocks every form of public access', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('keeps versions', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
  });

  it('encrypts with its own rotating KMS key', () => {
    const encryption = onlyResourceOfType(synthesized, 'aws_s3_bucket_server_side_encryption_configuration');
    const rule = (encryption.rule as Record<string, Record<string, string>>[])[0];
    expect(rule.apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(rule.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key\.model-bucket_key_.*\.arn/);
    expect(onlyResourceOfType(synthesized, 'aws_kms_key').enable_key_rotation).toBe(true);
  });

  it('denies every request that is not over TLS', () => {
    const [statement] = policyOf(onlyResourceOfType(synthesized, 'aws_s3_bucket_policy')).Statement;
    expect(statement).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('expires noncurrent versions and aborts abandoned multipart uploads', () => {
    const rules = onlyResourceOfType(synthesized, 'aws_s3_bucket_lifecycle_configuration').rule as Record<string, unknown>[];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 14 }] }),
        expect.objectContaining({ status: 'Enabled', abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
      ]),
    );
  });

  it('records every request in server access logs, under its own prefix of the access-log bucket', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketLoggingA, {
      bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.model-bucket_\w+\.id\}$/),
      target_bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.access-logs_bucket_\w+\.id\}$/),
      target_prefix: 'models-test/',
    });
  });

  it('disables ACLs', () => {
    expect(onlyResourceOfType(synthesized, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  it('refuses to destroy a bucket that holds objects unless told to', () => {
    expect(onlyResourceOfType(synthesized, 'aws_s3_bucket').force_destroy).toBe(false);
    const disposable = synthConstructs((scope) => modelBucket(scope, { retainObjectsOnDestroy: false }));
    expect(onlyResourceOfType(disposable, 'aws_s3_bucket').force_destroy).toBe(true);
  });

  it('grants read without write, and read-write without bucket administration', () => {
    const grants = synthConstructs((scope) => {
      const bucket = modelBucket(scope);
      const reader = new WorkloadIdentity(scope, 'reader', {
        roleName: 'reader',
        oidcProviderArn: 'arn:aws:iam::111111111111:oidc-provider/example',
        oidcIssuerHost: 'oidc.example',
        serviceAccount: { namespace: 'ns', name: 'sa' },
      });
      bucket.grantRead(reader);
    });
    const actions = resourcesOfType(grants, 'aws_iam_role_policy').flatMap((policy) => policyOf(policy).Statement.flatMap((s) => s.Action as string[]));
    expect(actions).toContain('s3:GetObject');
    expect(actions).not.toContain('s3:PutObject');
    expect(actions.some((action) => action === 's3:*' || action.startsWith('s3:PutBucket'))).toBe(false);
  });
});
