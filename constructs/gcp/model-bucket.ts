import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Construct } from 'constructs';
import type { GcpAccessLogBucket } from './access-log-bucket';
import { GcpEncryptionKey } from './encryption-key';
import type { GcpWorkloadIdentity } from './workload-identity';

export interface GcpModelBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Region of the bucket and of its key. */
  readonly region: string;
  /** Days a replaced or deleted object version is kept. */
  readonly noncurrentVersionRetentionDays: number;
  /** Receives the bucket's usage logs (who read or wrote which model file), as objects named `<bucketName>_usage_...`. */
  readonly accessLogs: Pick<GcpAccessLogBucket, 'bucketName'>;
  /** @default 7 */
  readonly incompleteUploadRetentionDays?: number;
  /**
   * Refuse `terraform destroy` while the bucket holds objects.
   * @default true
   */
  readonly retainObjectsOnDestroy?: boolean;
}

/**
 * The GCS bucket that holds model versions: regional, versioned, encrypted
 * with its own rotating Cloud KMS key (CMEK), IAM-only access (uniform
 * bucket-level access, no ACLs), public access prevented, noncurrent versions
 * and abandoned multipart uploads deleted, every request in the usage logs.
 * Soft delete keeps GCP's default.
 * Readers need no KMS permission: the Cloud Storage service agent decrypts.
 */
export class GcpModelBucket extends Construct {
  readonly bucket: StorageBucket;
  readonly bucketName: string;
  readonly encryptionKey: GcpEncryptionKey;

  constructor(scope: Construct, id: string, props: GcpModelBucketProps) {
    super(scope, id);
    this.encryptionKey = new GcpEncryptionKey(this, 'key', {
      // Key ring names allow letters, digits, `-` and `_`; bucket names may also contain dots.
      keyRingName: props.bucketName.replace(/\./g, '-'),
      keyName: 'objects',
      location: props.region,
      preventDestroy: props.retainObjectsOnDestroy ?? true,
    });
    // Reading the project's Cloud Storage service agent also creates it, which a new project may not have yet.
    const storageAgent = new DataGoogleStorageProjectServiceAccount(this, 'storage-service-agent', {});
    const keyGrant = this.encryptionKey.grantEncryptDecrypt('storage-service-agent', storageAgent.member);
    this.bucket = new StorageBucket(this, 'bucket', {
      name: props.bucketName,
      location: props.region,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      encryption: { defaultKmsKeyName: this.encryptionKey.id },
      logging: { logBucket: props.accessLogs.bucketName, logObjectPrefix: props.bucketName },
      lifecycleRule: [
        {
          action: { type: 'Delete' },
          condition: { daysSinceNoncurrentTime: props.noncurrentVersionRetentionDays, withState: 'ARCHIVED' },
        },
        {
          action: { type: 'AbortIncompleteMultipartUpload' },
          condition: { age: props.incompleteUploadRetentionDays ?? 7 },
        },
      ],
      forceDestroy: !(props.retainObjectsOnDestroy ?? true),
      // GCS refuses a default key it cannot use.
      dependsOn: [keyGrant],
    });
    this.bucketName = this.bucket.name;
  }

  /** Lets `identity` list and read objects. */
  grantRead(identity: GcpWorkloadIdentity): void {
    new StorageBucketIamMember(identity, `read-${this.node.id}`, {
      bucket: this.bucket.name,
      role: 'roles/storage.objectViewer',
      member: identity.member,
    });
  }

  /** Lets `identity` list, read, write and delete objects (a replication destination), without bucket administration. */
  grantReadWrite(identity: GcpWorkloadIdentity): void {
    new StorageBucketIamMember(identity, `read-write-${this.node.id}`, {
      bucket: this.bucket.name,
      role: 'roles/storage.objectUser',
      member: identity.member,
    });
  }
}
