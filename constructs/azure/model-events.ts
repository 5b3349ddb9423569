import { EventgridSystemTopic } from '@cdktf/provider-azurerm/lib/eventgrid-system-topic';
import { EventgridSystemTopicEventSubscription } from '@cdktf/provider-azurerm/lib/eventgrid-system-topic-event-subscription';
import type { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageQueue } from '@cdktf/provider-azurerm/lib/storage-queue';
import { Construct } from 'constructs';
import { MODELS_PREFIX } from '../../services/replicator/src/layout';
import type { ModelStorage } from './model-storage';
import type { AzureWorkloadIdentity } from './workload-identity';

const SECONDS_PER_DAY = 86_400;
/** Queue request logs kept: every receive, update and delete, with the caller's identity and address. */
const QUEUE_ACCESS_LOGS = ['StorageRead', 'StorageWrite', 'StorageDelete'] as const;
/** Event Grid system topic names: 3-128 letters, digits and hyphens. */
const TOPIC_NAME = /^[A-Za-z0-9-]{3,128}$/;
/** Queue and container names: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit. */
const QUEUE_OR_CONTAINER = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;

export interface AzureModelEventsProps {
  /** The storage account whose blob events are routed; the queue and the dead-letter container are created in it. */
  readonly storage: ModelStorage;
  readonly resourceGroupName: string;
  /** Azure region of the account. */
  readonly location: string;
  /** Name of the Event Grid system topic of the account (an account has at most one). */
  readonly topicName: string;
  /** Log Analytics workspace that receives the queue service's request logs (table `StorageQueueLogs`). */
  readonly accessLogWorkspace: Pick<LogAnalyticsWorkspace, 'id'>;
  /** @default 'model-events' */
  readonly queueName?: string;
  /** Container Event Grid writes the events it could not deliver to. @default 'model-events-dead-letter' */
  readonly deadLetterContainerName?: string;
  /**
   * Days an event waits in the queue. The periodic reconcile repairs whatever expires.
   * @default 7
   */
  readonly retentionDays?: number;
  /**
   * Attempts Event Grid makes to put an event in the queue before dead-lettering it (1-30).
   * @default 30
   */
  readonly maxDeliveryAttempts?: number;
  /**
   * Tags on the system topic.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Blob events of the model container (blobs created or deleted under `models/`) routed by the account's Event
 * Grid system topic to a Storage queue in the same account. Event Grid delivers with the topic's own managed
 * identity (the account accepts no keys), and writes what it cannot deliver to a dead-letter container.
 * Consumers read the queue with Entra ID roles, like the blobs; the queue service's requests are logged.
 */
export class AzureModelEvents extends Construct {
  readonly systemTopic: EventgridSystemTopic;
  readonly queue: StorageQueue;
  readonly deadLetterContainer: StorageContainer;
  readonly queueName: string;
  /** The account's Queue service URL, e.g. `https://<account>.queue.core.windows.net/`. */
  readonly queueServiceUrl: string;

  constructor(scope: Construct, id: string, props: AzureModelEventsProps) {
    super(scope, id);
    const settings = {
      queueName: props.queueName ?? 'model-events',
      deadLetterContainerName: props.deadLetterContainerName ?? 'model-events-dead-letter',
      retentionDays: props.retentionDays ?? 7,
      maxDeliveryAttempts: props.maxDeliveryAttempts ?? 30,
    };
    validate(props.topicName, settings);
    const account = props.storage.account;

    // Managed through Resource Manager (by account ID), like the models container: shared keys are off.
    this.queue = new StorageQueue(this, 'queue', { name: settings.queueName, storageAccountId: account.id });
    this.queueName = this.queue.name;
    this.queueServiceUrl = account.primaryQueueEndpoint;
    // Who received or deleted which event, like the blob service's request logs (ModelStorage).
    new MonitorDiagnosticSetting(this, 'queue-access-logs', {
      name: 'queue-access-logs',
      targetResourceId: `${account.id}/queueServices/default`,
      logAnalyticsWorkspaceId: props.accessLogWorkspace.id,
      enabledLog: QUEUE_ACCESS_LOGS.map((category) => ({ category })),
    });
    this.deadLetterContainer = new StorageContainer(this, 'dead-letter-container', {
      name: settings.deadLetterContainerName,
      storageAccountId: account.id,
      containerAccessType: 'private',
    });

    this.systemTopic = new EventgridSystemTopic(this, 'system-topic', {
      name: props.topicName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sourceResourceId: account.id,
      topicType: 'Microsoft.Storage.StorageAccounts',
      identity: { type: 'SystemAssigned' },
      tags: { ...props.tags },
    });
    const topicPrincipal = this.systemTopic.identity.principalId;
    const sendToQueue = new RoleAssignment(this, 'queue-sender', {
      scope: this.queue.id,
      roleDefinitionName: 'Storage Queue Data Message Sender',
      principalId: topicPrincipal,
      principalType: 'ServicePrincipal',
    });
    const writeDeadLetters = new RoleAssignment(this, 'dead-letter-writer', {
      scope: this.deadLetterContainer.id,
      roleDefinitionName: 'Storage Blob Data Contributor',
      principalId: topicPrincipal,
      principalType: 'ServicePrincipal',
    });

    new EventgridSystemTopicEventSubscription(this, 'subscription', {
      name: 'model-events',
      systemTopic: this.systemTopic.name,
      resourceGroupName: props.resourceGroupName,
      eventDeliverySchema: 'EventGridSchema',
      includedEventTypes: ['Microsoft.Storage.BlobCreated', 'Microsoft.Storage.BlobDeleted'],
      subjectFilter: {
        subjectBeginsWith: `/blobServices/default/containers/${props.storage.containerName}/blobs/${MODELS_PREFIX}`,
        caseSensitive: true,
      },
      storageQueueEndpoint: {
        storageAccountId: account.id,
        queueName: this.queue.name,
        queueMessageTimeToLiveInSeconds: settings.retentionDays * SECONDS_PER_DAY,
      },
      deliveryIdentity: { type: 'SystemAssigned' },
      deadLetterIdentity: { type: 'SystemAssigned' },
      storageBlobDeadLetterDestination: { storageAccountId: account.id, storageBlobContainerName: this.deadLetterContainer.name },
      // Event Grid's own limits: 30 attempts, one day.
      retryPolicy: { maxDeliveryAttempts: settings.maxDeliveryAttempts, eventTimeToLive: 1440 },
      // Event Grid checks its access to the queue and the container when the subscription is created.
      dependsOn: [sendToQueue, writeDeadLetters],
    });
  }

  /** Lets `identity` receive, update and delete messages of the queue (Storage Queue Data Message Processor). */
  grantConsume(identity: AzureWorkloadIdentity): void {
    identity.addRoleAssignment(`consume-${this.node.id}`, 'Storage Queue Data Message Processor', this.queue.id);
  }
}

function validate(topicName: string, settings: { queueName: string; deadLetterContainerName: string; retentionDays: number; maxDeliveryAttempts: number }): void {
  const problems: string[] = [];
  if (!TOPIC_NAME.test(topicName)) problems.push(`topicName "${topicName}" must be 3-128 letters, digits or hyphens`);
  for (const field of ['queueName', 'deadLetterContainerName'] as const) {
    if (!QUEUE_OR_CONTAINER.test(settings[field])) problems.push(`${field} "${settings[field]}" must be 3-63 lowercase letters, digits or single hyphens`);
  }
  if (!Number.isInteger(settings.retentionDays) || settings.retentionDays < 1) {
    problems.push(`retentionDays ${settings.retentionDays} must be a whole number of days, 1 or more`);
  }
  if (!Number.isInteger(settings.maxDeliveryAttempts) || settings.maxDeliveryAttempts < 1 || settings.maxDeliveryAttempts > 30) {
    problems.push(`maxDeliveryAttempts ${settings.maxDeliveryAttempts} must be a whole number from 1 to 30 (the Event Grid limit)`);
  }
  if (problems.length > 0) throw new Error(`AzureModelEvents: ${problems.join('; ')}`);
}
