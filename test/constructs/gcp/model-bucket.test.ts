import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { GcpModelBucket } from '../../../constructs/gcp/model-bucket';
import { GcpWorkloadIdentity } from '../../../constructs/gcp/workload-identity';
import { onlyResourceOfType, parse, resourcesOfType, synthConstructs } from '../../helpers/synth';

const props = { bucketName: 'skyline-test-models', region: 'europe-west1', noncurrentVersionRetentionDays: 14, accessLogs: { bucketName: 'skyline-test-models-logs' } };

describe('gcp GcpModelBucket', () => {
  const synthesized = synthConstructs((scope) => new GcpModelBucket(scope, 'model-bucket', props));
  const bucket = onlyResourceOfType(synthesized, 'google_storage_bucket');

  it('creates the bucket in the region', () => {
    expect(bucket).toMatchObject({ name: 'skyline-test-models', location: 'europe-west1' });
  });

  it('allows IAM only (uniform bucket-level access, no ACLs) and enforces public access prevention', () => {
    expect(synthesized).toHaveResourceWithProperties(StorageBucket, { uniform_bucket_level_access: true, public_access_prevention: 'enforced' });
  });

  it('records every request in usage logs delivered to the access-log bucket, named after this bucket', () => {
    expect(bucket.logging).toEqual({ log_bucket: 'skyline-test-models-logs', log_object_prefix: 'skyline-test-models' });
  });

  it('keeps versions', () => {
    expect(bucket.versioning).toEqual({ enabled: true });
  });

  it('encrypts with its own rotating Cloud KMS key in the same region (CMEK)', () => {
    expect(bucket.encryption).toEqual({ default_kms_key_name: expect.stringMatching(/^\$\{google_kms_crypto_key\.model-bucket_key_\w+\.id\}$/) });
    expect(onlyResourceOfType(synthesized, 'google_kms_key_ring').location).toBe('europe-west1');
    expect(onlyResourceOfType(synthesized, 'google_kms_crypto_key').rotation_period).toBe('7776000s');
  });

  it('lets the Cloud Storage service agent use the key before the bucket is created', () => {
    expect(parse(synthesized).data?.google_storage_project_service_account).toBeDefined();
    const grant = onlyResourceOfType(synthesized, 'google_kms_crypto_key_iam_member');
    expect(grant).toMatchObject({
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: expect.stringMatching(/^\$\{data\.google_storage_project_service_account\.model-bucket_storage-service-agent_\w+\.member\}$/),
    });
    const grantAddress = Object.keys(parse(synthesized).resource?.google_kms_crypto_key_iam_member ?? {})[0];
    expect(bucket.depends_on).toEqual([`google_kms_crypto_key_iam_member.${grantAddress}`]);
  });

  it('deletes noncurrent versions after the retention and aborts abandoned multipart uploads after 7 days', () => {
    expect(bucket.lifecycle_rule).toEqual([
      { action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 14, with_state: 'ARCHIVED' } },
      { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 7 } },
    ]);
  });

  it('leaves soft delete at its default', () => {
    expect(bucket.soft_delete_policy).toBeUndefined();
  });

  it('refuses to destroy a bucket that holds objects unless told to', () => {
    expect(bucket.force_destroy).toBe(false);
    const disposable = synthConstructs((scope) => new GcpModelBucket(scope, 'model-bucket', { ...props, retainObjectsOnDestroy: false }));
    expect(onlyResourceOfType(disposable, 'google_storage_bucket').force_destroy).toBe(true);
  });

  function grants(grant: (bucket: GcpModelBucket, identity: GcpWorkloadIdentity) => void): Record<string, unknown>[] {
    const synthesizedGrants = synthConstructs((scope) => {
      const modelBucket = new GcpModelBucket(scope, 'model-bucket', props);
      const identity = new GcpWorkloadIdentity(scope, 'identity', {
        accountId: 'skyline-test-reader',
        workloadPool: 'skyline-test.svc.id.goog',
        serviceAccount: { namespace: 'ns', name: 'sa' },
      });
      grant(modelBucket, identity);
    });
    return resourcesOfType(synthesizedGrants, 'google_storage_bucket_iam_member');
  }
  const bindingOf = (role: string) => ({
    bucket: expect.stringMatching(/^\$\{google_storage_bucket\.model-bucket_\w+\.name\}$/),
    role,
    member: expect.stringMatching(/^\$\{google_service_account\.identity_service-account_\w+\.member\}$/),
  });

  it('grants read as object viewer on this bucket only', () => {
    expect(grants((modelBucket, identity) => modelBucket.grantRead(identity))).toEqual([bindingOf('roles/storage.objectViewer')]);
  });

  it('grants read-write as object user: objects only, no bucket administration', () => {
    expect(grants((modelBucket, identity) => modelBucket.grantReadWrite(identity))).toEqual([bindingOf('roles/storage.objectUser')]);
  });
});
