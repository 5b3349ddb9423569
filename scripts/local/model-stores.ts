/**
 * Each region's model bucket in its emulated cloud — S3 in moto for the AWS region, a GCS bucket in
 * fake-gcs-server, a Blob container in Azurite — created with the names of the dev environment, plus the S3 →
 * SQS event notification the replicator listens to. One shape for the three (`RegionStore`): the demo writes to
 * the primary's and watches the others.
 */
import { ContainerClient } from '@azure/storage-blob';
import { CreateBucketCommand, HeadObjectCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Storage } from '@google-cloud/storage';
import type { StoreConfig } from '../../services/replicator/src/config';
import { EMULATOR_CREDENTIALS } from './dns-records';
import { EMULATOR_GCP_PROJECT, type Emulators } from './emulators';
import type { LocalRegion, Topology } from './topology';

export interface RegionStore {
  readonly region: LocalRegion;
  /** How the replicator reaches it (services/replicator/src/config.ts, a sync sidecar's `store`). */
  readonly config: StoreConfig;
  /** `s3://bucket`, `gs://bucket`, `<account URL>/<container>`: for people. */
  readonly location: string;
  put(key: string, body: Buffer): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export interface ModelStores {
  /** In role order: the primary's first. */
  readonly stores: readonly RegionStore[];
  /** The SQS queue that receives the primary bucket's object events. */
  readonly primaryEvents: { readonly store: string; readonly queueUrl: string; readonly region: string };
}

export async function createModelStores(topology: Topology, emulators: Emulators): Promise<ModelStores> {
  const stores = await Promise.all(topology.regions.map((region) => createStore(region, emulators)));
  const primary = stores[0];
  if (primary.config.kind !== 's3') throw new Error(`the primary region ${primary.region.name} is not on AWS: the local platform wires S3 events only`);
  const queueUrl = await notifyQueue(primary.config.bucket, primary.config.region, emulators.moto.url);
  return { stores, primaryEvents: { store: primary.region.name, queueUrl, region: primary.config.region } };
}

async function createStore(region: LocalRegion, emulators: Emulators): Promise<RegionStore> {
  switch (region.cloud) {
    case 'aws': {
      const client = new S3Client({ endpoint: emulators.moto.url, region: region.name, credentials: EMULATOR_CREDENTIALS, forcePathStyle: true });
      await client.send(new CreateBucketCommand({ Bucket: region.modelBucket, CreateBucketConfiguration: { LocationConstraint: region.name as BucketLocationConstraint } }));
      return {
        region,
        config: { kind: 's3', bucket: region.modelBucket, region: region.name },
        location: `s3://${region.modelBucket}`,
        put: async (key, body) => {
          await client.send(new PutObjectCommand({ Bucket: region.modelBucket, Key: key, Body: body }));
        },
        exists: async (key) => {
          try {
            await client.send(new HeadObjectCommand({ Bucket: region.modelBucket, Key: key }));
            return true;
          } catch (error) {
            if ((error as { name?: string }).name === 'NotFound') return false;
            throw error;
          }
        },
      };
    }
    case 'gcp': {
      const bucket = new Storage({ apiEndpoint: emulators.gcs.url, projectId: EMULATOR_GCP_PROJECT }).bucket(region.modelBucket);
      await bucket.create();
      return {
        region,
        config: { kind: 'gcs', bucket: region.modelBucket },
        location: `gs://${region.modelBucket}`,
        put: async (key, body) => {
          await bucket.file(key).save(body, { resumable: false });
        },
        exists: async (key) => (await bucket.file(key).exists())[0],
      };
    }
    case 'azure': {
      const container = new ContainerClient(`${emulators.azurite.connectionString}`, region.modelBucket);
      await container.create();
      return {
        region,
        config: { kind: 'azure-blob', accountUrl: emulators.azurite.blobAccountUrl, container: region.modelBucket },
        location: `${emulators.azurite.blobAccountUrl}/${region.modelBucket}`,
        put: async (key, body) => {
          await container.getBlockBlobClient(key).uploadData(body);
        },
        exists: (key) => container.getBlockBlobClient(key).exists(),
      };
    }
  }
}

/** The primary bucket's object events go to an SQS queue, as bucket notifications do in AWS. */
async function notifyQueue(bucket: string, region: string, motoUrl: string): Promise<string> {
  const sqs = new SQSClient({ endpoint: motoUrl, region, credentials: EMULATOR_CREDENTIALS });
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: `${bucket}-events` }));
  const queueUrl = queue.QueueUrl;
  if (queueUrl === undefined) throw new Error(`moto created no queue for ${bucket}'s events`);
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = attributes.Attributes?.QueueArn;
  if (queueArn === undefined) throw new Error(`moto gave no ARN for ${queueUrl}`);
  const s3 = new S3Client({ endpoint: motoUrl, region, credentials: EMULATOR_CREDENTIALS, forcePathStyle: true });
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { QueueConfigurations: [{ QueueArn: queueArn, Events: ['s3:ObjectCreated:*'] }] },
    }),
  );
  return queueUrl;
}
