import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import { addBucketGuardrails } from './bucket-guardrails';

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
    addBucketGuardrails(this, {
      bucket: this.bucket,
      // No kmsKeyArn: S3 delivers server access logs only into SSE-S3 buckets.
      policyStatementsBeforeTlsDeny: [
        {
          // With ACLs disabled, the bucket policy is how the logging service gets to write.
          Sid: 'S3ServerAccessLogsFromThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${this.bucket.arn}/*`,
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ],
      lifecycleRules: [
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
