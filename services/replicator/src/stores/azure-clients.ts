/**
 * Azure clients from an account URL: with the configured connection string when it names that account's
 * endpoint (Azurite, or an account without workload identity), else with DefaultAzureCredential (workload
 * identity: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE). One rule for blobs and queues.
 */
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { QueueServiceClient, type StoragePipelineOptions as QueuePipelineOptions } from '@azure/storage-queue';
import type { RetryPolicy } from '../../../common/src/retry';

/** The SDK's own retry (exponential on 500, 503 and lost connections), sized by the configured policy. */
export function azureRetryOptions(policy: RetryPolicy): NonNullable<StoragePipelineOptions['retryOptions']> & NonNullable<QueuePipelineOptions['retryOptions']> {
  return { maxTries: policy.attempts, retryDelayInMs: policy.baseDelayMs, maxRetryDelayInMs: policy.maxDelayMs };
}

const sameUrl = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

export function blobServiceClient(accountUrl: string, connectionString: string | undefined, options: StoragePipelineOptions): BlobServiceClient {
  if (connectionString !== undefined) {
    const client = BlobServiceClient.fromConnectionString(connectionString, options);
    if (sameUrl(client.url, accountUrl)) return client;
  }
  return new BlobServiceClient(accountUrl, new DefaultAzureCredential(), options);
}

export function queueServiceClient(accountUrl: string, connectionString: string | undefined, options: QueuePipelineOptions): QueueServiceClient {
  if (connectionString !== undefined) {
    const client = QueueServiceClient.fromConnectionString(connectionString, options);
    if (sameUrl(client.url, accountUrl)) return client;
  }
  return new QueueServiceClient(accountUrl, new DefaultAzureCredential(), options);
}
