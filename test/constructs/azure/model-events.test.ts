import type { Construct } from 'constructs';
import { AzureModelEvents, type AzureModelEventsProps } from '../../../constructs/azure/model-events';
import { ModelStorage } from '../../../constructs/azure/model-storage';
import { AzureWorkloadIdentity } from '../../../constructs/azure/workload-identity';
import { onlyResourceOfType, parse, resourcesOfType, synthConstructs } from '../../helpers/synth';

function modelEvents(scope: Construct, overrides: Partial<AzureModelEventsProps> = {}): AzureModelEvents {
  const storage = new ModelStorage(scope, 'model-storage', {
    storageAccountName: 'skylinetestmodels',
    resourceGroupName: 'skyline-test-rg',
    location: 'centralindia',
    noncurrentVersionRetentionDays: 14,
    accessLogWorkspace: { id: '/subscriptions/s/resourceGroups/skyline-test-rg/providers/Microsoft.OperationalInsights/workspaces/logs' },
  });
  return new AzureModelEvents(scope, 'model-events', {
    storage,
    resourceGroupName: 'skyline-test-rg',
    location: 'centralindia',
    topicName: 'skylinetestmodels-events',
    accessLogWorkspace: { id: '/subscriptions/s/resourceGroups/skyline-test-rg/providers/Microsoft.OperationalInsights/workspaces/logs' },
    tags: { 'managed-by': 'cdktf' },
    ...overrides,
  });
}

function roleAssignment(synthesized: string, name: string): Record<string, unknown> {
  const entry = Object.entries(parse(synthesized).resource?.azurerm_role_assignment ?? {}).find(([key]) => key.startsWith(`model-events_${name}_`));
  if (!entry) throw new Error(`no role assignment ${name}`);
  return entry[1];
}

describe('azure AzureModelEvents', () => {
  const synthesized = synthConstructs((scope) => modelEvents(scope));
  const subscription = onlyResourceOfType(synthesized, 'azurerm_eventgrid_system_topic_event_subscription');

  it('watches the storage account through a system topic with its own managed identity', () => {
    expect(onlyResourceOfType(synthesized, 'azurerm_eventgrid_system_topic')).toMatchObject({
      name: 'skylinetestmodels-events',
      topic_type: 'Microsoft.Storage.StorageAccounts',
      source_resource_id: expect.stringMatching(/azurerm_storage_account\.model-storage_account_\w+\.id/),
      identity: { type: 'SystemAssigned' },
      tags: { 'managed-by': 'cdktf' },
    });
  });

  it('routes blobs created and deleted under models/ of the models container, case-sensitively', () => {
    expect(subscription).toMatchObject({
      included_event_types: ['Microsoft.Storage.BlobCreated', 'Microsoft.Storage.BlobDeleted'],
      subject_filter: { subject_begins_with: expect.stringMatching(/^\/blobServices\/default\/containers\/\$\{azurerm_storage_container\.model-storage_container_\w+\.name\}\/blobs\/models\/$/), case_sensitive: true },
      event_delivery_schema: 'EventGridSchema',
    });
  });

  it('delivers to a queue of the same account with the topic\'s identity, which may only send messages there', () => {
    const queue = onlyResourceOfType(synthesized, 'azurerm_storage_queue');
    expect(queue).toEqual({ name: 'model-events', storage_account_id: expect.stringMatching(/model-storage_account_\w+\.id/) });
    expect(subscription.storage_queue_endpoint).toEqual({
      storage_account_id: expect.stringMatching(/model-storage_account_\w+\.id/),
      queue_name: expect.stringMatching(/azurerm_storage_queue\.model-events_queue_\w+\.name/),
      queue_message_time_to_live_in_seconds: 7 * 86_400,
    });
    expect(subscription.delivery_identity).toEqual({ type: 'SystemAssigned' });
    expect(roleAssignment(synthesized, 'queue-sender')).toEqual({
      scope: expect.stringMatching(/azurerm_storage_queue\.model-events_queue_\w+\.id/),
      role_definition_name: 'Storage Queue Data Message Sender',
      principal_id: expect.stringMatching(/azurerm_eventgrid_system_topic\.model-events_system-topic_\w+\.identity\[0\]\.principal_id/),
      principal_type: 'ServicePrincipal',
    });
  });

  it('dead-letters what it cannot deliver after 30 attempts into a private container, with the same identity', () => {
    expect(subscription.retry_policy).toEqual({ max_delivery_attempts: 30, event_time_to_live: 1440 });
    expect(subscription.dead_letter_identity).toEqual({ type: 'SystemAssigned' });
    expect(subscription.storage_blob_dead_letter_destination).toEqual({
      storage_account_id: expect.stringMatching(/model-storage_account_\w+\.id/),
      storage_blob_container_name: expect.stringMatching(/model-events_dead-letter-container_\w+\.name/),
    });
    const container = resourcesOfType(synthesized, 'azurerm_storage_container').find((candidate) => candidate.name === 'model-events-dead-letter');
    expect(container).toMatchObject({ container_access_type: 'private' });
    expect(roleAssignment(synthesized, 'dead-letter-writer')).toMatchObject({ role_definition_name: 'Storage Blob Data Contributor', scope: expect.stringMatching(/dead-letter-container_\w+\.id/) });
    // Event Grid checks its access when the subscription is created.
    expect(subscription.depends_on).toEqual([expect.stringMatching(/model-events_queue-sender_/), expect.stringMatching(/model-events_dead-letter-writer_/)]);
  });

  it('logs every receive, update and delete of the queue service to the workspace', () => {
    const setting = Object.entries(parse(synthesized).resource?.azurerm_monitor_diagnostic_setting ?? {}).find(([key]) => key.startsWith('model-events_'));
    expect(setting?.[1]).toEqual({
      name: 'queue-access-logs',
      target_resource_id: expect.stringMatching(/^\$\{azurerm_storage_account\.model-storage_account_\w+\.id\}\/queueServices\/default$/),
      log_analytics_workspace_id: '/subscriptions/s/resourceGroups/skyline-test-rg/providers/Microsoft.OperationalInsights/workspaces/logs',
      enabled_log: [{ category: 'StorageRead' }, { category: 'StorageWrite' }, { category: 'StorageDelete' }],
    });
  });

  it('grants consuming the queue (Storage Queue Data Message Processor) on the queue alone', () => {
    const grants = synthConstructs((scope) => {
      const events = modelEvents(scope);
      events.grantConsume(
        new AzureWorkloadIdentity(scope, 'replicator', {
          identityName: 'replicator',
          resourceGroupName: 'skyline-test-rg',
          location: 'centralindia',
          oidcIssuerUrl: 'https://issuer.example/',
          serviceAccount: { namespace: 'skyline-system', name: 'replicator' },
        }),
      );
    });
    const consumer = Object.entries(parse(grants).resource?.azurerm_role_assignment ?? {}).filter(([key]) => key.startsWith('replicator_'));
    expect(consumer.map(([, assignment]) => assignment)).toEqual([
      expect.objectContaining({ role_definition_name: 'Storage Queue Data Message Processor', scope: expect.stringMatching(/azurerm_storage_queue\.model-events_queue_\w+\.id/) }),
    ]);
  });

  it.each([
    ['a topic name Event Grid refuses', { topicName: 'models_events' }, /topicName "models_events" must be 3-128 letters, digits or hyphens/],
    ['an uppercase queue name', { queueName: 'Model-Events' }, /queueName "Model-Events" must be 3-63 lowercase/],
    ['a container name with a double hyphen', { deadLetterContainerName: 'dead--letters' }, /deadLetterContainerName "dead--letters"/],
    ['no retention', { retentionDays: 0 }, /retentionDays 0 must be a whole number of days, 1 or more/],
    ['more attempts than Event Grid makes', { maxDeliveryAttempts: 31 }, /maxDeliveryAttempts 31 must be a whole number from 1 to 30/],
  ])('refuses %s at synth', (_label, overrides, message) => {
    expect(() => synthConstructs((scope) => modelEvents(scope, overrides))).toThrow(message);
  });
});
