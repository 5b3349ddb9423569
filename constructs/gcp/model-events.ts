import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account';
import { PubsubSubscription } from '@cdktf/provider-google/lib/pubsub-subscription';
import { PubsubSubscriptionIamMember } from '@cdktf/provider-google/lib/pubsub-subscription-iam-member';
import { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic';
import { PubsubTopicIamMember } from '@cdktf/provider-google/lib/pubsub-topic-iam-member';
import { StorageNotification } from '@cdktf/provider-google/lib/storage-notification';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { MODELS_PREFIX } from '../../services/replicator/src/layout';
import type { GcpEncryptionKey } from './encryption-key';
import type { GcpModelBucket } from './model-bucket';
import type { GcpWorkloadIdentity } from './workload-identity';

const SECONDS_PER_DAY = 86_400;
/** Pub/Sub topic and subscription names: 3-255 characters, starting with a letter, not `goog`. The dead-letter ones add `-dead-letter`. */
const TOPIC_NAME = /^(?!goog)[A-Za-z][A-Za-z0-9._~+%-]{2,242}$/;

export interface GcpModelEventsProps {
  /** The bucket whose object events are published. */
  readonly bucket: GcpModelBucket;
  /** Region of the bucket: messages are stored there only. */
  readonly region: string;
  /** The project's number, which names its Pub/Sub service agent (dead-lettering, CMEK). */
  readonly projectNumber: string;
  /** Topic name, also the subscription's; the dead-letter topic and its subscription are `<topicName>-dead-letter`. */
  readonly topicName: string;
  /**
   * Encrypts the topics' messages (CMEK); the project's Pub/Sub service agent is granted its use.
   * @default Google-managed encryption
   */
  readonly encryptionKey?: GcpEncryptionKey;
  /**
   * Seconds a pulled message stays leased to its consumer before Pub/Sub redelivers it (10-600).
   * @default 300
   */
  readonly ackDeadlineSeconds?: number;
  /**
   * Deliveries of one message before it goes to the dead-letter topic (5-100).
   * @default 5
   */
  readonly maxDeliveryAttempts?: number;
  /**
   * Days an unacknowledged event is kept (1-7). The periodic reconcile repairs whatever expires.
   * @default 7
   */
  readonly retentionDays?: number;
}

/**
 * Cloud Storage notifications of a model bucket (objects finalized, archived or deleted under `models/`)
 * published to a Pub/Sub topic, with a pull subscription for the replicator and a dead-letter topic (plus a
 * subscription that keeps what lands there). Messages stay in the bucket's region and are encrypted with the
 * bucket's key when one is given. Only the project's Cloud Storage service agent may publish.
 */
export class GcpModelEvents extends Construct {
  readonly topic: PubsubTopic;
  readonly subscription: PubsubSubscription;
  readonly deadLetterTopic: PubsubTopic;
  readonly deadLetterSubscription: PubsubSubscription;
  /** `projects/<project>/subscriptions/<name>`: what a consumer pulls from. */
  readonly subscriptionId: string;

  constructor(scope: Construct, id: string, props: GcpModelEventsProps) {
    super(scope, id);
    const settings = {
      ackDeadlineSeconds: props.ackDeadlineSeconds ?? 300,
      maxDeliveryAttempts: props.maxDeliveryAttempts ?? 5,
      retentionDays: props.retentionDays ?? 7,
    };
    validate(props.topicName, settings);
    const pubsubAgent = `serviceAccount:service-${props.projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;
    // Pub/Sub checks its agent's access to the key when a topic is created with it.
    const keyReady: ITerraformDependable[] = props.encryptionKey ? [props.encryptionKey.grantEncryptDecrypt(`pubsub-service-agent-${id}`, pubsubAgent)] : [];
    const topicSettings = {
      kmsKeyName: props.encryptionKey?.id,
      messageStoragePolicy: { allowedPersistenceRegions: [props.region] },
      dependsOn: keyReady,
    };
    const retention = `${settings.retentionDays * SECONDS_PER_DAY}s`;

    this.topic = new PubsubTopic(this, 'topic', { name: props.topicName, ...topicSettings });
    this.deadLetterTopic = new PubsubTopic(this, 'dead-letter-topic', { name: `${props.topicName}-dead-letter`, ...topicSettings });
    this.subscription = new PubsubSubscription(this, 'subscription', {
      name: props.topicName,
      topic: this.topic.id,
      ackDeadlineSeconds: settings.ackDeadlineSeconds,
      messageRetentionDuration: retention,
      // Subscriptions expire after 31 idle days by default; events must keep arriving while the replicator is down.
      expirationPolicy: { ttl: '' },
      deadLetterPolicy: { deadLetterTopic: this.deadLetterTopic.id, maxDeliveryAttempts: settings.maxDeliveryAttempts },
      retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
    });
    this.subscriptionId = this.subscription.id;
    // A topic drops what no subscription holds: this one keeps dead letters for an operator (7 days, the most).
    this.deadLetterSubscription = new PubsubSubscription(this, 'dead-letter-subscription', {
      name: `${props.topicName}-dead-letter`,
      topic: this.deadLetterTopic.id,
      ackDeadlineSeconds: 60,
      messageRetentionDuration: `${7 * SECONDS_PER_DAY}s`,
      expirationPolicy: { ttl: '' },
    });

    // Dead-lettering is done by the Pub/Sub service agent: it forwards to the dead-letter topic and acks the original.
    new PubsubTopicIamMember(this, 'dead-letter-publisher', { topic: this.deadLetterTopic.name, role: 'roles/pubsub.publisher', member: pubsubAgent });
    new PubsubSubscriptionIamMember(this, 'dead-letter-subscriber', { subscription: this.subscription.name, role: 'roles/pubsub.subscriber', member: pubsubAgent });

    // Reading the project's Cloud Storage service agent also creates it, which a new project may not have yet.
    const storageAgent = new DataGoogleStorageProjectServiceAccount(this, 'storage-service-agent', {});
    const publisher = new PubsubTopicIamMember(this, 'storage-publisher', { topic: this.topic.name, role: 'roles/pubsub.publisher', member: storageAgent.member });
    new StorageNotification(this, 'notification', {
      bucket: props.bucket.bucketName,
      topic: this.topic.id,
      payloadFormat: 'JSON_API_V1',
      // The bucket is versioned: deleting or replacing a live object makes it noncurrent (ARCHIVE); DELETE is a
      // version gone for good. Both, so every removal is seen.
      eventTypes: ['OBJECT_FINALIZE', 'OBJECT_ARCHIVE', 'OBJECT_DELETE'],
      objectNamePrefix: MODELS_PREFIX,
      // Cloud Storage refuses a notification to a topic its agent cannot publish to.
      dependsOn: [publisher],
    });
  }

  /** Lets `identity` pull and acknowledge events of the subscription; not the dead letters. */
  grantConsume(identity: GcpWorkloadIdentity): void {
    new PubsubSubscriptionIamMember(identity, `consume-${this.node.id}`, {
      subscription: this.subscription.name,
      role: 'roles/pubsub.subscriber',
      member: identity.member,
    });
  }
}

function validate(topicName: string, settings: { ackDeadlineSeconds: number; maxDeliveryAttempts: number; retentionDays: number }): void {
  const problems: string[] = [];
  if (!TOPIC_NAME.test(topicName)) problems.push(`topicName "${topicName}" must be 3-243 letters, digits or . _ ~ + % -, starting with a letter and not with "goog"`);
  const range = (field: keyof typeof settings, min: number, max: number, unit: string): void => {
    const value = settings[field];
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${field} ${value} must be a whole number of ${unit} from ${min} to ${max} (the Pub/Sub limit)`);
  };
  range('ackDeadlineSeconds', 10, 600, 'seconds');
  range('maxDeliveryAttempts', 5, 100, 'attempts');
  range('retentionDays', 1, 7, 'days');
  if (problems.length > 0) throw new Error(`GcpModelEvents: ${problems.join('; ')}`);
}
