/**
 * EventSource on an Azure Storage queue fed by an Event Grid subscription of the storage account's system topic
 * (BlobCreated / BlobDeleted). Event Grid writes each event as one message, Base64-encoded JSON in the Event Grid
 * or CloudEvents schema. Azure queues have no dead-letter queue: a message that cannot be parsed is deleted (it
 * never will be), with an error log; the reconcile covers whatever it was about.
 */
import type { QueueClient } from '@azure/storage-queue';
import type { Clock } from '../../../common/src/clock';
import type { Logger } from '../../../common/src/logger';
import type { EventMessage, EventSource } from './event-source';

export interface AzureQueueEventsOptions {
  readonly queue: QueueClient;
  /** Store name (config) and container: events of other containers are ignored. */
  readonly store: string;
  readonly container: string;
  /** Pause after an empty receive. */
  readonly waitSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Azure's largest batch. */
const MAX_MESSAGES = 32;

export class AzureQueueEvents implements EventSource {
  readonly store: string;
  readonly description: string;

  constructor(private readonly options: AzureQueueEventsOptions) {
    this.store = options.store;
    this.description = options.queue.url;
  }

  async receive(signal: AbortSignal): Promise<EventMessage[]> {
    const { queue, container, visibilityTimeoutSeconds, waitSeconds, clock, logger } = this.options;
    const response = await queue.receiveMessages({ numberOfMessages: MAX_MESSAGES, visibilityTimeout: visibilityTimeoutSeconds, abortSignal: signal });
    const messages: EventMessage[] = [];
    for (const item of response.receivedMessageItems) {
      const ack = async (): Promise<void> => void (await queue.deleteMessage(item.messageId, item.popReceipt));
      let keys: string[];
      try {
        keys = parseBlobEventMessage(item.messageText, container);
      } catch (error) {
        logger.error({ queue: queue.url, messageId: item.messageId, err: error }, 'not a blob event; deleted');
        await ack();
        continue;
      }
      messages.push({ keys, ack });
    }
    if (response.receivedMessageItems.length === 0) await clock.sleep(waitSeconds * 1000, signal);
    return messages;
  }
}

interface BlobEvent {
  /** Event Grid schema. */
  readonly eventType?: unknown;
  /** CloudEvents schema. */
  readonly type?: unknown;
  readonly subject?: unknown;
}

const SUBJECT = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/;

/** The blob names of `container` that an Event Grid message names (one event, or an array of them). */
export function parseBlobEventMessage(text: string, container: string): string[] {
  const trimmed = text.trim();
  // Event Grid Base64-encodes what it puts on a queue; a JSON text is accepted as well.
  const json = JSON.parse(trimmed.startsWith('{') || trimmed.startsWith('[') ? trimmed : Buffer.from(trimmed, 'base64').toString('utf8')) as unknown;
  const events = (Array.isArray(json) ? json : [json]) as BlobEvent[];
  const keys: string[] = [];
  for (const event of events) {
    const type = event.eventType ?? event.type;
    if (typeof type !== 'string' || !type.startsWith('Microsoft.Storage.Blob')) throw new Error(`event type ${String(type)} is not a blob event`);
    const match = typeof event.subject === 'string' ? SUBJECT.exec(event.subject) : null;
    if (match === null) throw new Error(`subject ${String(event.subject)} does not name a blob`);
    if (match[1] === container) keys.push(match[2]);
  }
  return keys;
}
