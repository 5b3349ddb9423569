import { GcpAccessLogBucket, STORAGE_ANALYTICS_WRITER } from '../../../constructs/gcp/access-log-bucket';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const props = { bucketName: 'skyline-test-models-logs', region: 'europe-west1', retentionDays: 90 };

describe('gcp GcpAccessLogBucket', () => {
  const synthesized = synthConstructs((scope) => new GcpAccessLogBucket(scope, 'access-logs', props));
  const bucket = onlyResourceOfType(synthesized, 'google_storage_bucket');

  it('is regional, IAM-only, closed to the public and versioned', () => {
    expect(bucket).toMatchObject({
      name: 'skyline-test-models-logs',
      location: 'europe-west1',
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      versioning: { enabled: true },
    });
  });

  it('lets Cloud Storage\'s analytics writer create log objects, and nothing more', () => {
    expect(onlyResourceOfType(synthesized, 'google_storage_bucket_iam_member')).toEqual({
      bucket: expect.stringMatching(/^\$\{google_storage_bucket\.access-logs_\w+\.name\}$/),
      role: 'roles/storage.objectCreator',
      member: STORAGE_ANALYTICS_WRITER,
    });
  });

  it('deletes logs, and replaced or deleted logs, after the retention period', () => {
    expect(bucket.lifecycle_rule).toEqual([
      { action: { type: 'Delete' }, condition: { age: 90 } },
      { action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 90, with_state: 'ARCHIVED' } },
    ]);
  });

  it('refuses destroy while it holds logs unless told to', () => {
    expect(bucket.force_destroy).toBe(false);
    const disposable = synthConstructs((scope) => new GcpAccessLogBucket(scope, 'access-logs', { ...props, retainObjectsOnDestroy: false }));
    expect(onlyResourceOfType(disposable, 'google_storage_bucket').force_destroy).toBe(true);
  });

  it('refuses a name GCS cannot take', () => {
    expect(() => synthConstructs((scope) => new GcpAccessLogBucket(scope, 'access-logs', { ...props, bucketName: 'x'.repeat(64) }))).toThrow(/has 64 characters; GCS allows at most 63/);
  });
});
