/**
 * EventSource on SQS carrying S3 event notifications (the bucket's QueueConfigurations). Endpoint and credentials
 * from the SDK's standard settings (AWS_ENDPOINT_URL_SQS, IRSA). A message that is not an S3 notification is left
 * on the queue: after the queue's maxReceiveCount it moves to the dead-letter queue, where it can be inspected.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../../../common/src/logger';
import type { EventMessage, EventSource } from './event-source';

export interface SqsEventsOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** Store name (config) and bucket: records of other buckets are ignored. */
  readonly store: string;
  readonly bucket: string;
  readonly waitSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  readonly logger: Logger;
}

/** SQS's largest batch. */
const MAX_MESSAGES = 10;

export class SqsEvents implements EventSource {
  readonly store: string;
  readonly description: string;

  constructor(private readonly options: SqsEventsOptions) {
    this.store = options.store;
    this.description = options.queueUrl;
  }

  async receive(signal: AbortSignal): Promise<EventMessage[]> {
    const { client, queueUrl, waitSeconds, visibilityTimeoutSeconds, bucket, logger } = this.options;
    const output = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: MAX_MESSAGES, WaitTimeSeconds: waitSeconds, VisibilityTimeout: visibilityTimeoutSeconds }),
      { abortSignal: signal },
    );
    const messages: EventMessage[] = [];
    for (const message of output.Messages ?? []) {
      const receiptHandle = message.ReceiptHandle;
      if (receiptHandle === undefined) continue;
      let keys: string[];
      try {
        keys = parseS3EventNotification(message.Body ?? '', bucket);
      } catch (error) {
        logger.error({ queue: queueUrl, messageId: message.MessageId, err: error }, 'not an S3 event notification; left for the dead-letter queue');
        continue;
      }
      messages.push({ keys, ack: async () => void (await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }))) });
    }
    return messages;
  }
}

interface S3EventRecord {
  readonly eventSource?: unknown;
  readonly s3?: { readonly bucket?: { readonly name?: unknown }; readonly object?: { readonly key?: unknown } };
}

/**
 * The keys of `bucket` an S3 event notification names. S3 URL-encodes keys in notifications (a space as `+`).
 * The `s3:TestEvent` S3 sends when notifications are configured names none.
 */
export function parseS3EventNotification(body: string, bucket: string): string[] {
  const json = JSON.parse(body) as { Event?: unknown; Records?: unknown };
  if (json.Event === 's3:TestEvent') return [];
  if (!Array.isArray(json.Records)) throw new Error('no Records array');
  const keys: string[] = [];
  for (const record of json.Records as S3EventRecord[]) {
    if (record.eventSource !== 'aws:s3') throw new Error(`record from ${String(record.eventSource)}, not aws:s3`);
    const key = record.s3?.object?.key;
    if (typeof key !== 'string') throw new Error('record without s3.object.key');
    if (record.s3?.bucket?.name !== bucket) continue;
    keys.push(decodeURIComponent(key.replace(/\+/g, ' ')));
  }
  return keys;
}
