import { AccessLogBucket } from '../../../constructs/aws/access-log-bucket';
import { onlyResourceOfType, policyOf, synthConstructs } from '../../helpers/synth';

const props = { bucketPrefix: 'skyline-test-access-logs-', accountId: '111111111111', retentionDays: 90 };

describe('aws AccessLogBucket', () => {
  const synthesized = synthConstructs((scope) => new AccessLogBucket(scope, 'access-logs', props));

  it('gets a unique name from its prefix, and refuses destroy while it holds logs unless told to', () => {
    expect(onlyResourceOfType(synthesized, 'aws_s3_bucket')).toEqual({ bucket_prefix: 'skyline-test-access-logs-', force_destroy: false });
    const disposable = synthConstructs((scope) => new AccessLogBucket(scope, 'access-logs', { ...props, retainObjectsOnDestroy: false }));
    expect(onlyResourceOfType(disposable, 'aws_s3_bucket').force_destroy).toBe(true);
  });

  it('lets only the S3 logging service of its own account write, and only objects', () => {
    const [write] = policyOf(onlyResourceOfType(synthesized, 'aws_s3_bucket_policy')).Statement;
    expect(write).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });
    expect(write.Resource).toMatch(/\/\*$/);
  });

  it('denies every request that is not over TLS', () => {
    const statements = policyOf(onlyResourceOfType(synthesized, 'aws_s3_bucket_policy')).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('blocks public access, disables ACLs and keeps versions', () => {
    expect(onlyResourceOfType(synthesized, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResourceOfType(synthesized, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(onlyResourceOfType(synthesized, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
  });

  it('encrypts with SSE-S3, the only default encryption S3 delivers access logs into', () => {
    const [rule] = onlyResourceOfType(synthesized, 'aws_s3_bucket_server_side_encryption_configuration').rule as Record<string, unknown>[];
    expect(rule).toEqual({ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } });
  });

  it('expires logs, and replaced or deleted logs, after the retention period', () => {
    const [rule] = onlyResourceOfType(synthesized, 'aws_s3_bucket_lifecycle_configuration').rule as Record<string, unknown>[];
    expect(rule).toMatchObject({ status: 'Enabled', expiration: [{ days: 90 }], noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
  });

  it('refuses a prefix S3 cannot take', () => {
    expect(() => synthConstructs((scope) => new AccessLogBucket(scope, 'access-logs', { ...props, bucketPrefix: 'x'.repeat(38) }))).toThrow(
      /bucketPrefix "x{38}" has 38 characters; S3 allows at most 37/,
    );
  });
});
