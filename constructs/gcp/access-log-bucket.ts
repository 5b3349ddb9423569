import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Construct } from 'constructs';

/** The group Cloud Storage delivers usage logs as; it needs to create objects in the log bucket. */
export const STORAGE_ANALYTICS_WRITER = 'group:cloud-storage-analytics@google.com';

export interface GcpAccessLogBucketProps {
  /** Globally unique, at most 63 characters. */
  readonly bucketName: string;
  /** Region of the bucket: the buckets that log here should be in it too. */
  readonly region: string;
  /** Days a log object is kept (and a replaced or deleted one after that). */
  readonly retentionDays: number;
  /**
   * Refuse `terraform destroy` while the bucket holds logs.
   * @default true
   */
  readonly retainObjectsOnDestroy?: boolean;
}

/**
 * A bucket that receives Cloud Storage usage logs (every request to a logging bucket: who, what, when, from where,
 * with which result; hourly CSV objects): IAM-only, public access prevented, versioned, and only Cloud Storage's
 * analytics writer may add objects. Logs expire after `retentionDays`. A bucket turns its logging on with
 * `logging { log_bucket }` naming this one.
 */
export class GcpAccessLogBucket extends Construct {
  readonly bucket: StorageBucket;
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: GcpAccessLogBucketProps) {
    super(scope, id);
    if (props.bucketName.length > 63) {
      throw new Error(`GcpAccessLogBucket ${this.node.path}: bucketName "${props.bucketName}" has ${props.bucketName.length} characters; GCS allows at most 63: shorten it`);
    }
    this.bucket = new StorageBucket(this, 'bucket', {
      name: props.bucketName,
      location: props.region,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      // A deleted or overwritten log stays recoverable for the retention period.
      versioning: { enabled: true },
      lifecycleRule: [
        { action: { type: 'Delete' }, condition: { age: props.retentionDays } },
        { action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: props.retentionDays, withState: 'ARCHIVED' } },
      ],
      forceDestroy: !(props.retainObjectsOnDestroy ?? true),
    });
    this.bucketName = this.bucket.name;
    // Object creation only: the analytics writer can neither read nor delete what it delivered.
    new StorageBucketIamMember(this, 'analytics-writer', {
      bucket: this.bucket.name,
      role: 'roles/storage.objectCreator',
      member: STORAGE_ANALYTICS_WRITER,
    });
  }
}
