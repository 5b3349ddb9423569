/**
 * The EventSource port: bucket events (S3 → SQS, Azure Blob → Event Grid → Storage queue) reduced to what the
 * replicator needs, the keys that changed. Events are hints: the replicator re-reads the version a key belongs to,
 * so a duplicate, a reordered or a lost event changes nothing that the reconcile would not repair.
 */

export interface EventMessage {
  /** Object keys of the store that were created, overwritten or deleted (URL decoding done). */
  readonly keys: readonly string[];
  /** Removes the message from the queue: call once its versions are replicated (or need nothing). */
  ack(): Promise<void>;
}

export interface EventSource {
  /** The store (config name) whose events these are. */
  readonly store: string;
  /** The queue, for logs. */
  readonly description: string;
  /**
   * The next batch of messages, waiting for some (long poll, or a pause after an empty answer). A message left
   * unacknowledged comes back after the queue's visibility timeout; one that cannot be parsed is never returned
   * (the adapter logs it and leaves it to the queue's dead-letter handling).
   */
  receive(signal: AbortSignal): Promise<EventMessage[]>;
}
