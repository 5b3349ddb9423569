import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';

export interface AccessLogBucketProps {
  /** Start of the bucket's name; S3 appends a unique suffix. At most 37 characters. */
  readonly bucketPrefix: string;
  /** The account whose buckets deliver logs here (the logging service may write for no other). */
  readonly accountId: string;
  /** Days a log object is kept (and a replaced or deleted one after that). */
  readonly retentionDays: number;
  /**
   * Refuse `terraform destroy` while the bucket holds logs.
   * @default true
   */
  readonly retainObjectsOnDestroy?: boolean;
}

/**
 * A bucket that receives S3 server access logs of other buckets in the same account and region: every request
 * (who, what, when, from where, with which result), one prefix per source bucket. Versioned, every form of public
 * access blocked, TLS-only, ACLs disabled; only the S3 logging service of this account may write. Encrypted with
 * SSE-S3, because S3 cannot deliver access logs into an SSE-KMS bucket. Logs expire after `retentionDays`.
 * A source bucket turns its logging on with an `aws_s3_bucket_logging` that targets `bucket`.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    if (props.bucketPrefix.length > 37) {
      throw new Error(`AccessLogBucket ${this.node.path}: bucketPrefix "${props.bucketPrefix}" has ${props.bucketPrefix.length} characters; S3 allows at most 37: shorten it`);
    }
    this.bucket = new S3Bucket(this, 'bucket', { bucketPrefix: props.bucketPrefix, forceDestroy: !(props.retainObjectsOnDestroy ?? true) });
    this.bucketName = this.bucket.bucket;
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    // A deleted or overwritten log stays recoverable for the retention period.
    new S3BucketVersioningA(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            // With ACLs disabled, the bucket policy is how the logging service gets to write.
            Sid: 'S3ServerAccessLogsFromThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `${this.bucket.arn}/*`,
            Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
          },
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
          id: 'expire-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.retentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
  }

}
