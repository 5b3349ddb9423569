/**
 * Event-driven replication against real queues: S3 event notifications delivered by moto to an SQS queue, and
 * Event Grid blob events on an Azurite Storage queue (Azurite has no Event Grid: the test enqueues the messages
 * Event Grid writes, Base64 JSON in its schema). The initial reconcile finds nothing; the events alone replicate
 * the version; duplicate and out-of-order events copy nothing more and are acknowledged.
 */
import { PutBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueueServiceClient } from '@azure/storage-queue';
import { fileKey, manifestKey, type VersionRef } from '../../../services/replicator/src/layout';
import { buildManifest } from '../../../services/replicator/src/manifest';
import type { ObjectStore } from '../../../services/replicator/src/stores/object-store';
import { AZURE_CONTAINER, content, digestAt, GCS_STORE, publishVersion, replicateConfig, S3_STORE, startEmulators, stores, waitFor, type Emulators } from './emulators';
import { buildReplicator } from './in-process';
import { createHash } from 'node:crypto';

jest.setTimeout(60_000);

let emulators: Emulators;
let gcs: ObjectStore;
let azure: ObjectStore;

beforeAll(async () => {
  emulators = await startEmulators({ queue: true });
  ({ gcs, azure } = stores(emulators));
}, 60_000);

afterAll(() => emulators?.stop());

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** An S3 event notification as S3 writes it to SQS (keys URL-encoded, a space as +). */
function s3Notification(key: string): string {
  const encoded = encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
  return JSON.stringify({ Records: [{ eventVersion: '2.1', eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: S3_STORE.bucket }, object: { key: encoded, size: 1 } } }] });
}

describe('S3 events through SQS', () => {
  it('replicates a new version from its events alone; duplicates and late events change nothing', async () => {
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: emulators.moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'models-events' }));
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await emulators.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: S3_STORE.bucket,
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn: attributes.Attributes?.QueueArn, Events: ['s3:ObjectCreated:*'] }] },
      }),
    );
    const { replicator, metric } = buildReplicator(
      replicateConfig(emulators, { events: [{ kind: 'sqs', store: S3_STORE.name, queueUrl: queueUrl as string, region: 'us-east-1', waitSeconds: 1 }] }),
    );
    replicator.start();
    await waitFor('the initial reconcile', async () => (replicator.ready ? true : undefined));

    const ref: VersionRef = { model: 'whisper', version: 'v 2' };
    const files = await publishVersion(emulators.s3, ref, [
      { path: 'encoder.bin', size: 300_000 },
      { path: 'decoder.bin', size: 200_000 },
    ]);
    await waitFor('the version at both destinations', async () => ((await gcs.stat(manifestKey(ref))) && (await azure.stat(manifestKey(ref))) ? true : undefined), 20_000);
    for (const destination of [gcs, azure]) {
      for (const file of files) expect(await digestAt(destination, fileKey(ref, file.path))).toEqual({ sha256: file.sha256, size: file.size });
    }
    expect(await metric('skyline_replicator_reconciles_total')).toBe(1);
    expect(await metric('skyline_replicator_objects_copied_total')).toBe(6);

    // The manifest's event twice more, and a file's event after the manifest's.
    for (const key of [manifestKey(ref), manifestKey(ref), fileKey(ref, 'encoder.bin')]) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: s3Notification(key) }));
    await waitFor('the queue to drain', async () => {
      const queue = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      const left = Number(queue.Attributes?.ApproximateNumberOfMessages) + Number(queue.Attributes?.ApproximateNumberOfMessagesNotVisible);
      return left === 0 ? true : undefined;
    });
    await replicator.stop();
    expect(await metric('skyline_replicator_objects_copied_total')).toBe(6);
    expect(await metric('skyline_replicator_events_total', { result: 'acked' })).toBeGreaterThanOrEqual(6);
    expect(await metric('skyline_replicator_events_total', { result: 'retried' })).toBe(0);
    sqs.destroy();
  });
});

describe('Azure blob events through a Storage queue', () => {
  it('replicates from Azure to GCS on Event Grid messages, and deletes a message that is no blob event', async () => {
    const queues = QueueServiceClient.fromConnectionString(emulators.azurite.connectionString);
    const queue = queues.getQueueClient('blob-events');
    await queue.create();
    const { replicator, metric, logs } = buildReplicator(
      replicateConfig(emulators, {
        stores: [emulators.azureStore, GCS_STORE],
        events: [{ kind: 'azure-queue', store: emulators.azureStore.name, accountUrl: emulators.azurite.queueAccountUrl as string, queueName: 'blob-events', waitSeconds: 0.2 }],
      }),
    );
    replicator.start();
    await waitFor('the initial reconcile', async () => (replicator.ready ? true : undefined));

    const ref: VersionRef = { model: 'clip', version: '3' };
    const container = emulators.blobs.getContainerClient(AZURE_CONTAINER);
    const weights = content('clip/3/weights.bin', 123_456);
    const manifest = buildManifest([{ path: 'weights.bin', size: weights.length, sha256: sha256(weights) }]);
    for (const [key, data] of [[fileKey(ref, 'weights.bin'), weights], [manifestKey(ref), manifest]] as const) {
      await container.getBlockBlobClient(key).upload(data, data.length);
      const event = { topic: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/devstoreaccount1', subject: `/blobServices/default/containers/${AZURE_CONTAINER}/blobs/${key}`, eventType: 'Microsoft.Storage.BlobCreated', id: key, data: { api: 'PutBlob' }, dataVersion: '', metadataVersion: '1', eventTime: new Date().toISOString() };
      await queue.sendMessage(Buffer.from(JSON.stringify(event)).toString('base64'));
    }
    await queue.sendMessage(Buffer.from('{"eventType":"Microsoft.Resources.ResourceWriteSuccess","subject":"/x"}').toString('base64'));

    await waitFor('the version at GCS', async () => ((await gcs.stat(manifestKey(ref))) ? true : undefined), 20_000);
    await waitFor('the queue to drain', async () => ((await queue.getProperties()).approximateMessagesCount === 0 ? true : undefined));
    await replicator.stop();

    expect(await digestAt(gcs, fileKey(ref, 'weights.bin'))).toEqual({ sha256: sha256(weights), size: weights.length });
    expect(await digestAt(gcs, manifestKey(ref))).toEqual({ sha256: sha256(manifest), size: manifest.length });
    expect(await metric('skyline_replicator_reconciles_total')).toBe(1);
    expect(logs().some((line) => line.msg === 'not a blob event; deleted')).toBe(true);
  });
});
