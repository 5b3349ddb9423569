import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { Construct } from 'constructs';
import { AccessLogBucket } from '../aws/access-log-bucket';
import { addBucketGuardrails } from '../aws/bucket-guardrails';
import { EncryptionKey } from '../aws/encryption-key';

export interface TerraformStateBucketProps {
  /** The bucket every stack's S3 backend names (`backend.bucket`). */
  readonly bucketName: string;
  readonly accountId: string;
  /** Days a replaced or deleted state version is kept: how far back a state rollback can go. */
  readonly noncurrentVersionRetentionDays: number;
  /** Days the bucket's server access logs are kept. */
  readonly accessLogRetentionDays: number;
}

/**
 * The S3 bucket that holds every stack's Terraform state (`<keyPrefix>/<stack>.tfstate`, locked with S3's native
 * `.tflock` objects): versioned, so any earlier state can be restored; SSE-KMS with its own rotating key; every form
 * of public access blocked; TLS-only; ACLs disabled; every request in server access logs; old versions expired
 * after the retention period. Terraform refuses to destroy it: state outlives everything it describes.
 */
export class TerraformStateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: TerraformStateBucketProps) {
    super(scope, id);
    this.encryptionKey = new EncryptionKey(this, 'key', {
      alias: `${props.bucketName}-state`,
      description: `Encrypts Terraform state in s3://${props.bucketName}`,
      accountId: props.accountId,
    });
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: false, lifecycle: { preventDestroy: true } });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    addBucketGuardrails(this, {
      bucket: this.bucket,
      kmsKeyArn: this.encryptionKey.arn,
      lifecycleRules: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionRetentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
    // State holds every secret the providers return: who read it, and when, is worth keeping.
    const accessLogs = new AccessLogBucket(this, 'access-logs', {
      bucketPrefix: `${props.bucketName.slice(0, 25)}-logs-`,
      accountId: props.accountId,
      retentionDays: props.accessLogRetentionDays,
    });
    new S3BucketLoggingA(this, 'access-logging', { bucket: this.bucket.id, targetBucket: accessLogs.bucket.id, targetPrefix: `${props.bucketName}/` });
  }
}
