/** The ObjectStore adapter for a store's kind (a closed union: the compiler checks every kind has one). */
import { S3Client } from '@aws-sdk/client-s3';
import { IdempotencyStrategy, Storage } from '@google-cloud/storage';
import type { RetryPolicy } from '../../../common/src/retry';
import type { StoreConfig } from '../config';
import { awsRetryStrategy } from './aws-retry-strategy';
import { AzureBlobStore } from './azure-blob';
import { azureRetryOptions, blobServiceClient } from './azure-clients';
import { GcsStore } from './gcs';
import type { ObjectStore, UploadTuning } from './object-store';
import { S3Store } from './s3';

export interface StoreDependencies {
  readonly retry: RetryPolicy;
  readonly upload: UploadTuning;
  /** From `azureStorageConnectionString` (AZURE_STORAGE_CONNECTION_STRING). */
  readonly azureConnectionString?: string;
}

export function createObjectStore(store: StoreConfig, dependencies: StoreDependencies): ObjectStore {
  const { retry, upload } = dependencies;
  switch (store.kind) {
    case 's3':
      return new S3Store({
        ...upload,
        bucket: store.bucket,
        // Endpoint and credentials from the SDK's standard settings (AWS_ENDPOINT_URL_S3, web identity...).
        client: new S3Client({
          region: store.region,
          retryStrategy: awsRetryStrategy(retry),
          // The copier hashes every byte with SHA-256 and compares it with the manifest: a second checksum pass
          // over each download would only cost CPU.
          responseChecksumValidation: 'WHEN_REQUIRED',
        }),
      });
    case 'gcs': {
      // Endpoint from STORAGE_EMULATOR_HOST when set, credentials from Application Default Credentials.
      const storage = new Storage({
        retryOptions: {
          autoRetry: retry.attempts > 1,
          maxRetries: retry.attempts - 1,
          // This client's first delay is 1 s (times retryDelayMultiplier per retry, plus up to 1 s of jitter); its
          // resumable uploads refuse a largest delay below that first one.
          maxRetryDelay: Math.max(1, retry.maxDelayMs / 1000),
          // Writes here are idempotent (same key, same content, same metadata): retry them too.
          idempotencyStrategy: IdempotencyStrategy.RetryAlways,
        },
      });
      // googleapis/nodejs-storage#1314: with STORAGE_EMULATOR_HOST set to the emulator's origin (the form the other
      // Google SDKs take), this client sends its JSON API calls to the bare origin, without /storage/v1, while its
      // uploads and downloads use the origin correctly. Put the path back; a real endpoint already has it.
      if (storage.customEndpoint && !storage.baseUrl.endsWith('/storage/v1')) storage.baseUrl = `${storage.apiEndpoint}/storage/v1`;
      return new GcsStore({ ...upload, bucket: storage.bucket(store.bucket) });
    }
    case 'azure-blob': {
      const service = blobServiceClient(store.accountUrl, dependencies.azureConnectionString, { retryOptions: azureRetryOptions(retry) });
      return new AzureBlobStore({ ...upload, container: service.getContainerClient(store.container) });
    }
  }
}
