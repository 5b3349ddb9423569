import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { Construct } from 'constructs';
import type { AccessLogBucket } from './access-log-bucket';
import { addBucketGuardrails } from './bucket-guardrails';
import { EncryptionKey } from './encryption-key';
import type { WorkloadIdentity } from './workload-identity';

export interface ModelBucketProps {
  readonly bucketName: string;
  readonly accountId: string;
  /** Days a replaced or deleted object version is kept. */
  readonly noncurrentVersionRetentionDays: number;
  /** Receives the bucket's server access logs (who read or wrote which model file), under `<bucketName>/`. */
  readonly accessLogs: AccessLogBucket;
  /** @default 7 */
  readonly incompleteUploadRetentionDays?: number;
  /**
   * Refuse `terraform destroy` while the bucket holds objects.
   * @default true
   */
  readonly retainObjectsOnDestroy?: boolean;
}

/**
 * The S3 bucket that holds model versions: versioned, SSE-KMS with its own
 * rotating key, every form of public access blocked, TLS-only, ACLs disabled,
 * noncurrent versions and abandoned multipart uploads expired, every request
 * recorded in the server access logs.
 */
export class ModelBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: ModelBucketProps) {
    super(scope, id);
    this.encryptionKey = new EncryptionKey(this, 'key', {
      alias: `${props.bucketName}-objects`,
      description: `Encrypts objects in s3://${props.bucketName}`,
      accountId: props.accountId,
    });
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: !(props.retainObjectsOnDestroy ?? true),
    });
    this.bucketName = this.bucket.bucket;
    addBucketGuardrails(this, {
      bucket: this.bucket,
      kmsKeyArn: this.encryptionKey.arn,
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionRetentionDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.incompleteUploadRetentionDays ?? 7 }],
        },
      ],
    });
    new S3BucketLoggingA(this, 'access-logging', {
      bucket: this.bucket.id,
      targetBucket: props.accessLogs.bucket.id,
      targetPrefix: `${props.bucketName}/`,
    });
  }

  /** Lets `identity` list the bucket and read objects. */
  grantRead(identity: WorkloadIdentity): void {
    identity.addPolicy(`read-${this.node.id}`, [
      { Sid: 'ListModels', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: [this.bucket.arn] },
      { Sid: 'ReadModels', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes'], Resource: [`${this.bucket.arn}/*`] },
      { Sid: 'DecryptModels', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [this.encryptionKey.arn] },
    ]);
  }

  /** Lets `identity` read, write and delete objects (a replication destination). */
  grantReadWrite(identity: WorkloadIdentity): void {
    identity.addPolicy(`read-write-${this.node.id}`, [
      { Sid: 'ListModels', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'], Resource: [this.bucket.arn] },
      {
        Sid: 'ReadWriteModels',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectAttributes', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        Resource: [`${this.bucket.arn}/*`],
      },
      { Sid: 'EncryptModels', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: [this.encryptionKey.arn] },
    ]);
  }
}
