import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { Construct } from 'constructs';
import { MODELS_PREFIX } from '../../services/replicator/src/layout';
import type { ModelBucket } from './model-bucket';
import type { WorkloadIdentity } from './workload-identity';

const SECONDS_PER_DAY = 86_400;
/** SQS queue names: 1-80 letters, digits, hyphens and underscores. The dead-letter queue adds `-dlq`. */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,76}$/;

export interface ModelEventsProps {
  /** The bucket whose object events are queued. */
  readonly bucket: ModelBucket;
  /** The bucket's account: only S3 acting for this bucket of this account may send to the queue. */
  readonly accountId: string;
  /** Queue name, at most 76 characters; the dead-letter queue is `<queueName>-dlq`. */
  readonly queueName: string;
  /**
   * How long a received message stays hidden before another receive gets it again. The replicator sets its own
   * per receive; this is the default for any other consumer.
   * @default 300
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Receives of one message before SQS moves it to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Days an unconsumed event is kept (1-14). The periodic reconcile repairs whatever expires.
   * @default 4
   */
  readonly retentionDays?: number;
}

/**
 * S3 event notifications of a model bucket (objects created or removed under `models/`) delivered to an SQS
 * queue: encrypted at rest (SSE-SQS), TLS-only, writable by S3 for this bucket and account only, with a
 * dead-letter queue for messages that keep failing. Events are hints: the replicator re-reads what they name.
 */
export class ModelEvents extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  /** The URL consumers receive from. */
  readonly queueUrl: string;
  /** The queue's name, as given (a literal, unlike the attributes). */
  readonly queueName: string;
  readonly queueArn: string;
  readonly deadLetterQueueArn: string;

  constructor(scope: Construct, id: string, props: ModelEventsProps) {
    super(scope, id);
    const settings = {
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds ?? 300,
      maxReceiveCount: props.maxReceiveCount ?? 5,
      retentionDays: props.retentionDays ?? 4,
    };
    validate(props.queueName, settings);
    this.queueName = props.queueName;

    // SSE-SQS: S3 can deliver to it without a key policy (with SSE-KMS the key policy must admit S3, and a mistake
    // there fails every notification silently). Messages carry object keys and sizes, no model data.
    this.deadLetterQueue = new SqsQueue(this, 'dead-letter-queue', {
      name: `${props.queueName}-dlq`,
      sqsManagedSseEnabled: true,
      // The longest SQS keeps anything: time for an operator to look (docs/constructs/model-events.md).
      messageRetentionSeconds: 14 * SECONDS_PER_DAY,
    });
    this.queue = new SqsQueue(this, 'queue', {
      name: props.queueName,
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
      messageRetentionSeconds: settings.retentionDays * SECONDS_PER_DAY,
      // Long polling: a receive waits up to 20 s for a message instead of returning empty at once.
      receiveWaitTimeSeconds: 20,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: settings.maxReceiveCount }),
    });
    this.queueUrl = this.queue.url;
    this.queueArn = this.queue.arn;
    this.deadLetterQueueArn = this.deadLetterQueue.arn;

    // Only this queue may dead-letter into the DLQ.
    new SqsQueueRedriveAllowPolicy(this, 'dead-letter-sources', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });
    const queuePolicy = new SqsQueuePolicy(this, 'queue-policy', {
      queueUrl: this.queue.url,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'S3NotificationsOfThisBucketOnly',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: this.queue.arn,
            // Both: the ARN alone names no account (bucket names can be re-registered by anyone).
            Condition: { ArnEquals: { 'aws:SourceArn': props.bucket.bucket.arn }, StringEquals: { 'aws:SourceAccount': props.accountId } },
          },
          denyInsecureTransport(this.queue.arn),
        ],
      }),
    });
    new SqsQueuePolicy(this, 'dead-letter-queue-policy', {
      queueUrl: this.deadLetterQueue.url,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [denyInsecureTransport(this.deadLetterQueue.arn)] }),
    });
    new S3BucketNotification(this, 'notification', {
      bucket: props.bucket.bucket.id,
      queue: [
        {
          id: 'model-events',
          queueArn: this.queue.arn,
          // Removed includes delete markers: the bucket is versioned, so a delete of a live object creates one.
          events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
          filterPrefix: MODELS_PREFIX,
        },
      ],
      // S3 sends a test event when the configuration is saved, and refuses it if the queue policy does not admit S3.
      dependsOn: [queuePolicy],
    });
  }

  /** Lets `identity` receive, acknowledge (delete) and hide events of the queue; not the dead-letter queue. */
  grantConsume(identity: WorkloadIdentity): void {
    identity.addPolicy(`consume-${this.node.id}`, [
      {
        Sid: 'ConsumeModelEvents',
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: [this.queue.arn],
      },
    ]);
  }
}

function denyInsecureTransport(queueArn: string): object {
  return { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: queueArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
}

function validate(queueName: string, settings: { visibilityTimeoutSeconds: number; maxReceiveCount: number; retentionDays: number }): void {
  const problems: string[] = [];
  if (!QUEUE_NAME.test(queueName)) problems.push(`queueName "${queueName}" must be 1-76 letters, digits, hyphens or underscores (SQS allows 80, and the DLQ adds "-dlq")`);
  const { visibilityTimeoutSeconds, maxReceiveCount, retentionDays } = settings;
  if (!Number.isInteger(visibilityTimeoutSeconds) || visibilityTimeoutSeconds < 0 || visibilityTimeoutSeconds > 43_200) {
    problems.push(`visibilityTimeoutSeconds ${visibilityTimeoutSeconds} must be a whole number from 0 to 43200 (the SQS limit)`);
  }
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    problems.push(`maxReceiveCount ${maxReceiveCount} must be a whole number from 1 to 1000`);
  }
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 14) {
    problems.push(`retentionDays ${retentionDays} must be a whole number of days from 1 to 14 (the SQS limit)`);
  }
  if (problems.length > 0) throw new Error(`ModelEvents: ${problems.join('; ')}`);
}
