import type { Construct } from 'constructs';
import { AccessLogBucket } from '../../../constructs/aws/access-log-bucket';
import { ModelBucket } from '../../../constructs/aws/model-bucket';
import { ModelEvents, type ModelEventsProps } from '../../../constructs/aws/model-events';
import { WorkloadIdentity } from '../../../constructs/aws/workload-identity';
import { onlyResourceOfType, parse, policyOf, resourcesOfType, synthConstructs } from '../../helpers/synth';

const ACCOUNT = '111111111111';

function modelEvents(scope: Construct, overrides: Partial<ModelEventsProps> = {}): ModelEvents {
  const accessLogs = new AccessLogBucket(scope, 'access-logs', { bucketPrefix: 'access-logs-', accountId: ACCOUNT, retentionDays: 30 });
  const bucket = new ModelBucket(scope, 'model-bucket', { bucketName: 'models-test', accountId: ACCOUNT, noncurrentVersionRetentionDays: 14, accessLogs });
  return new ModelEvents(scope, 'model-events', { bucket, accountId: ACCOUNT, queueName: 'models-test-events', ...overrides });
}

/** A queue by its construct name (`queue` or `dead-letter-queue`). */
function queue(synthesized: string, name: 'queue' | 'dead-letter-queue'): Record<string, unknown> {
  const entries = Object.entries(parse(synthesized).resource?.aws_sqs_queue ?? {}).filter(([key]) => key.startsWith(`model-events_${name}_`));
  if (entries.length !== 1) throw new Error(`expected one ${name}, found ${entries.length}`);
  return entries[0][1];
}

function queuePolicy(synthesized: string, name: 'queue-policy' | 'dead-letter-queue-policy') {
  const entry = Object.entries(parse(synthesized).resource?.aws_sqs_queue_policy ?? {}).find(([key]) => key.startsWith(`model-events_${name}_`));
  if (!entry) throw new Error(`no ${name}`);
  return { policy: policyOf(entry[1]), queueUrl: entry[1].queue_url };
}

describe('aws ModelEvents', () => {
  const synthesized = synthConstructs((scope) => modelEvents(scope));

  it('queues created and removed objects under models/ only', () => {
    const notification = onlyResourceOfType(synthesized, 'aws_s3_bucket_notification');
    expect(notification.bucket).toMatch(/aws_s3_bucket\.model-bucket_[0-9A-F]+\.id/);
    expect(notification.queue).toEqual([
      { id: 'model-events', queue_arn: expect.stringMatching(/aws_sqs_queue\.model-events_queue_.*\.arn/), events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], filter_prefix: 'models/' },
    ]);
    // Saved only once the queue admits S3: S3 tests the destination when the configuration is saved.
    expect(notification.depends_on).toEqual([expect.stringMatching(/^aws_sqs_queue_policy\.model-events_queue-policy_/)]);
  });

  it('encrypts both queues at rest', () => {
    expect(queue(synthesized, 'queue').sqs_managed_sse_enabled).toBe(true);
    expect(queue(synthesized, 'dead-letter-queue').sqs_managed_sse_enabled).toBe(true);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives, and only this queue may', () => {
    const redrive = JSON.parse(String(queue(synthesized, 'queue').redrive_policy)) as Record<string, unknown>;
    expect(redrive).toEqual({ deadLetterTargetArn: expect.stringMatching(/aws_sqs_queue\.model-events_dead-letter-queue_.*\.arn/), maxReceiveCount: 5 });
    const allow = onlyResourceOfType(synthesized, 'aws_sqs_queue_redrive_allow_policy');
    expect(allow.queue_url).toMatch(/model-events_dead-letter-queue_.*\.url/);
    expect(JSON.parse(String(allow.redrive_allow_policy))).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [expect.stringMatching(/model-events_queue_.*\.arn/)] });
    expect(queue(synthesized, 'dead-letter-queue').message_retention_seconds).toBe(14 * 86_400);
  });

  it('long-polls, hides a received message for 300 s and keeps events 4 days by default', () => {
    expect(queue(synthesized, 'queue')).toMatchObject({ name: 'models-test-events', receive_wait_time_seconds: 20, visibility_timeout_seconds: 300, message_retention_seconds: 4 * 86_400 });
    expect(queue(synthesized, 'dead-letter-queue').name).toBe('models-test-events-dlq');
  });

  it('lets only S3, for this bucket of this account, send to the queue, and only over TLS', () => {
    const { policy, queueUrl } = queuePolicy(synthesized, 'queue-policy');
    expect(queueUrl).toMatch(/model-events_queue_.*\.url/);
    const [allow, deny] = policy.Statement;
    expect(allow).toEqual({
      Sid: 'S3NotificationsOfThisBucketOnly',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: expect.stringMatching(/model-events_queue_.*\.arn/),
      Condition: { ArnEquals: { 'aws:SourceArn': expect.stringMatching(/aws_s3_bucket\.model-bucket_[0-9A-F]+\.arn/) }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(policy.Statement).toHaveLength(2);
    expect(queuePolicy(synthesized, 'dead-letter-queue-policy').policy.Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
  });

  it('grants consuming the queue (receive, delete, change visibility), nothing on the dead-letter queue, no sending', () => {
    const grants = synthConstructs((scope) => {
      const events = modelEvents(scope);
      const consumer = new WorkloadIdentity(scope, 'consumer', {
        roleName: 'consumer',
        oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/example`,
        oidcIssuerHost: 'oidc.example',
        serviceAccount: { namespace: 'skyline-system', name: 'replicator' },
      });
      events.grantConsume(consumer);
    });
    const [policy] = resourcesOfType(grants, 'aws_iam_role_policy');
    expect(policy.name).toBe('consume-model-events');
    expect(policyOf(policy).Statement).toEqual([
      {
        Sid: 'ConsumeModelEvents',
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: [expect.stringMatching(/model-events_queue_.*\.arn/)],
      },
    ]);
  });

  it.each([
    ['a queue name SQS refuses', { queueName: 'models events' }, /queueName "models events" must be 1-76 letters/],
    ['a queue name too long for its DLQ', { queueName: 'q'.repeat(77) }, /DLQ adds "-dlq"/],
    ['a visibility timeout above 12 hours', { visibilityTimeoutSeconds: 43_201 }, /visibilityTimeoutSeconds 43201 must be a whole number from 0 to 43200/],
    ['no receive before dead-lettering', { maxReceiveCount: 0 }, /maxReceiveCount 0 must be a whole number from 1 to 1000/],
    ['a retention SQS cannot keep', { retentionDays: 15 }, /retentionDays 15 must be a whole number of days from 1 to 14/],
  ])('refuses %s at synth', (_label, overrides, message) => {
    expect(() => synthConstructs((scope) => modelEvents(scope, overrides))).toThrow(message);
  });
});
