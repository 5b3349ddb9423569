import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { AccessLogBucket } from '../aws/access-log-bucket';
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
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketVersioningA(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.encryptionKey.arn }, bucketKeyEnabled: true }],
    });
    new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
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
