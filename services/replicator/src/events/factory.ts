/** The EventSource adapter for an event source's kind (a closed union). */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../../common/src/clock';
import type { Logger } from '../../../common/src/logger';
import type { RetryPolicy } from '../../../common/src/retry';
import type { EventSourceConfig, NamedStoreConfig } from '../config';
import { awsRetryStrategy } from '../stores/aws-retry-strategy';
import { azureRetryOptions, queueServiceClient } from '../stores/azure-clients';
import { AzureQueueEvents } from './azure-queue';
import type { EventSource } from './event-source';
import { SqsEvents } from './sqs';

export interface EventSourceDependencies {
  readonly retry: RetryPolicy;
  readonly azureConnectionString?: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** `store` is the one the event source names (the config's validation guarantees its kind matches). */
export function createEventSource(config: EventSourceConfig, store: NamedStoreConfig, dependencies: EventSourceDependencies): EventSource {
  const { retry, clock, logger } = dependencies;
  switch (config.kind) {
    case 'sqs':
      if (store.kind !== 's3') throw new Error(`event source sqs needs an s3 store, ${store.name} is ${store.kind}`);
      return new SqsEvents({
        // Endpoint and credentials from the SDK's standard settings (AWS_ENDPOINT_URL_SQS, web identity...).
        client: new SQSClient({ region: config.region, retryStrategy: awsRetryStrategy(retry) }),
        queueUrl: config.queueUrl,
        store: store.name,
        bucket: store.bucket,
        waitSeconds: config.waitSeconds,
        visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
        logger,
      });
    case 'azure-queue': {
      if (store.kind !== 'azure-blob') throw new Error(`event source azure-queue needs an azure-blob store, ${store.name} is ${store.kind}`);
      const service = queueServiceClient(config.accountUrl, dependencies.azureConnectionString, { retryOptions: azureRetryOptions(retry) });
      return new AzureQueueEvents({
        queue: service.getQueueClient(config.queueName),
        store: store.name,
        container: store.container,
        waitSeconds: config.waitSeconds,
        visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
        clock,
        logger,
      });
    }
  }
}
