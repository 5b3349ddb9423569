import type { Construct } from 'constructs';
import { GcpModelBucket } from '../../../constructs/gcp/model-bucket';
import { GcpModelEvents, type GcpModelEventsProps } from '../../../constructs/gcp/model-events';
import { GcpWorkloadIdentity } from '../../../constructs/gcp/workload-identity';
import { onlyResourceOfType, parse, resourcesOfType, synthConstructs } from '../../helpers/synth';

const PUBSUB_AGENT = 'serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com';

function modelEvents(scope: Construct, overrides: Partial<GcpModelEventsProps> & { withKey?: boolean } = {}): GcpModelEvents {
  const { withKey = true, ...rest } = overrides;
  const bucket = new GcpModelBucket(scope, 'model-bucket', {
    bucketName: 'skyline-test-models',
    region: 'europe-west1',
    noncurrentVersionRetentionDays: 14,
    accessLogs: { bucketName: 'skyline-test-models-logs' },
  });
  return new GcpModelEvents(scope, 'model-events', {
    bucket,
    region: 'europe-west1',
    projectNumber: '123456789012',
    topicName: 'skyline-test-models-events',
    encryptionKey: withKey ? bucket.encryptionKey : undefined,
    ...rest,
  });
}

/** A resource of `type` by its construct name inside model-events. */
function named(synthesized: string, type: string, name: string): Record<string, unknown> {
  const entries = Object.entries(parse(synthesized).resource?.[type] ?? {}).filter(([key]) => key.startsWith(`model-events_${name}_`));
  if (entries.length !== 1) throw new Error(`expected one ${type} ${name}, found ${entries.length}`);
  return entries[0][1];
}

describe('gcp GcpModelEvents', () => {
  const synthesized = synthConstructs((scope) => modelEvents(scope));

  it('publishes finalized, archived and deleted objects under models/ as JSON, once the storage agent may publish', () => {
    const notification = onlyResourceOfType(synthesized, 'google_storage_notification');
    expect(notification).toMatchObject({
      bucket: expect.stringMatching(/google_storage_bucket\.model-bucket_\w+\.name/),
      topic: expect.stringMatching(/google_pubsub_topic\.model-events_topic_\w+\.id/),
      payload_format: 'JSON_API_V1',
      event_types: ['OBJECT_FINALIZE', 'OBJECT_ARCHIVE', 'OBJECT_DELETE'],
      object_name_prefix: 'models/',
      depends_on: [expect.stringMatching(/^google_pubsub_topic_iam_member\.model-events_storage-publisher_/)],
    });
  });

  it('lets the project\'s Cloud Storage service agent, read from the data source, publish to the topic', () => {
    const publisher = named(synthesized, 'google_pubsub_topic_iam_member', 'storage-publisher');
    expect(publisher).toMatchObject({ role: 'roles/pubsub.publisher', topic: expect.stringMatching(/model-events_topic_\w+\.name/) });
    expect(publisher.member).toMatch(/data\.google_storage_project_service_account\.model-events_storage-service-agent_\w+\.member/);
  });

  it('dead-letters after 5 deliveries, and the Pub/Sub agent may move messages there', () => {
    const subscription = named(synthesized, 'google_pubsub_subscription', 'subscription');
    expect(subscription.dead_letter_policy).toEqual({ dead_letter_topic: expect.stringMatching(/model-events_dead-letter-topic_\w+\.id/), max_delivery_attempts: 5 });
    expect(named(synthesized, 'google_pubsub_topic_iam_member', 'dead-letter-publisher')).toMatchObject({ role: 'roles/pubsub.publisher', member: PUBSUB_AGENT, topic: expect.stringMatching(/dead-letter-topic/) });
    expect(named(synthesized, 'google_pubsub_subscription_iam_member', 'dead-letter-subscriber')).toMatchObject({ role: 'roles/pubsub.subscriber', member: PUBSUB_AGENT, subscription: expect.stringMatching(/model-events_subscription_\w+\.name/) });
    // Dead letters are kept by a subscription of their own: a topic drops what no subscription holds.
    expect(named(synthesized, 'google_pubsub_subscription', 'dead-letter-subscription')).toMatchObject({ topic: expect.stringMatching(/dead-letter-topic/), message_retention_duration: '604800s', expiration_policy: { ttl: '' } });
  });

  it('leases a message for 300 s, keeps events 7 days, and never expires the subscription', () => {
    expect(named(synthesized, 'google_pubsub_subscription', 'subscription')).toMatchObject({
      name: 'skyline-test-models-events',
      topic: expect.stringMatching(/model-events_topic_\w+\.id/),
      ack_deadline_seconds: 300,
      message_retention_duration: '604800s',
      expiration_policy: { ttl: '' },
      retry_policy: { minimum_backoff: '10s', maximum_backoff: '600s' },
    });
  });

  it('encrypts both topics with the bucket\'s key, after granting the Pub/Sub agent its use, and stores messages in the region only', () => {
    const grant = Object.entries(parse(synthesized).resource?.google_kms_crypto_key_iam_member ?? {}).find(([, binding]) => binding.member === PUBSUB_AGENT);
    expect(grant?.[1]).toMatchObject({ role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', crypto_key_id: expect.stringMatching(/google_kms_crypto_key\.model-bucket_key_\w+\.id/) });
    for (const name of ['topic', 'dead-letter-topic']) {
      expect(named(synthesized, 'google_pubsub_topic', name)).toMatchObject({
        kms_key_name: expect.stringMatching(/google_kms_crypto_key\.model-bucket_key_\w+\.id/),
        message_storage_policy: { allowed_persistence_regions: ['europe-west1'] },
        depends_on: [`google_kms_crypto_key_iam_member.${grant?.[0]}`],
      });
    }
  });

  it('uses Google-managed encryption when given no key', () => {
    const plain = synthConstructs((scope) => modelEvents(scope, { withKey: false }));
    expect(named(plain, 'google_pubsub_topic', 'topic').kms_key_name).toBeUndefined();
    expect(resourcesOfType(plain, 'google_kms_crypto_key_iam_member').filter((binding) => binding.member === PUBSUB_AGENT)).toEqual([]);
  });

  it('grants pulling from the subscription only, not publishing or the dead letters', () => {
    const grants = synthConstructs((scope) => {
      const events = modelEvents(scope);
      events.grantConsume(new GcpWorkloadIdentity(scope, 'replicator', { accountId: 'skyline-test-replicator', workloadPool: 'p.svc.id.goog', serviceAccount: { namespace: 'skyline-system', name: 'replicator' } }));
    });
    const consumer = Object.entries(parse(grants).resource?.google_pubsub_subscription_iam_member ?? {}).filter(([key]) => key.startsWith('replicator_'));
    expect(consumer.map(([, binding]) => binding)).toEqual([
      expect.objectContaining({ role: 'roles/pubsub.subscriber', subscription: expect.stringMatching(/model-events_subscription_\w+\.name/), member: expect.stringMatching(/google_service_account\.replicator_service-account_\w+\.member/) }),
    ]);
    expect(resourcesOfType(grants, 'google_pubsub_topic_iam_member').map((binding) => binding.member)).not.toContainEqual(expect.stringMatching(/replicator/));
  });

  it.each([
    ['a reserved topic name', { topicName: 'goog-events' }, /topicName "goog-events" must be/],
    ['an ack deadline Pub/Sub refuses', { ackDeadlineSeconds: 601 }, /ackDeadlineSeconds 601 must be a whole number of seconds from 10 to 600/],
    ['fewer delivery attempts than Pub/Sub allows', { maxDeliveryAttempts: 4 }, /maxDeliveryAttempts 4 must be a whole number of attempts from 5 to 100/],
    ['a retention above a week', { retentionDays: 8 }, /retentionDays 8 must be a whole number of days from 1 to 7/],
  ])('refuses %s at synth', (_label, overrides, message) => {
    expect(() => synthConstructs((scope) => modelEvents(scope, overrides))).toThrow(message);
  });
});
