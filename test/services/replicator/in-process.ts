/** The replicator assembled in the test's process, as main.ts assembles it, with its logs captured. */
import { Writable } from 'node:stream';
import { createLogger } from '../../../services/common/src/logger';
import { createMetricsRegistry } from '../../../services/common/src/metrics';
import { parseReplicatorConfig, type NamedStoreConfig, type ReplicateConfig, type ReplicatorConfigInput } from '../../../services/replicator/src/config';
import { systemClock } from '../../../services/common/src/clock';
import { createEventSource } from '../../../services/replicator/src/events/factory';
import { ReplicatorMetrics } from '../../../services/replicator/src/metrics';
import { PendingBook } from '../../../services/replicator/src/pending-book';
import { Replicator } from '../../../services/replicator/src/replicator';
import { createObjectStore } from '../../../services/replicator/src/stores/factory';
import type { Registry } from 'prom-client';

export interface InProcessReplicator {
  readonly replicator: Replicator;
  readonly config: ReplicateConfig;
  readonly registry: Registry;
  /** Every JSON log line so far. */
  logs(): Record<string, unknown>[];
  /** The value of a series, e.g. metric('skyline_replicator_objects_copied_total', {destination: 'europe-west1'}); summed over the other labels. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

/** As main.ts assembles it: the stores and the event sources of the config, through the factories. */
export function buildReplicator(input: Extract<ReplicatorConfigInput, { mode: 'replicate' }>): InProcessReplicator {
  const config = parseReplicatorConfig(input) as ReplicateConfig;
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ service: 'replicator', level: config.logLevel, destination });
  const registry = createMetricsRegistry({ service: 'replicator', processMetrics: false });
  const { attempts, baseDelaySeconds, maxDelaySeconds } = config.retry;
  const dependencies = {
    retry: { attempts, baseDelayMs: baseDelaySeconds * 1000, maxDelayMs: maxDelaySeconds * 1000 },
    upload: { multipartThresholdBytes: config.copy.multipartThresholdMiB * 1024 * 1024, partSizeBytes: config.copy.partSizeMiB * 1024 * 1024 },
    azureConnectionString: config.azureStorageConnectionString,
  };
  const stores = new Map(config.stores.map((store) => [store.name, createObjectStore(store, dependencies)]));
  const events = config.events.map((event) => createEventSource(event, config.stores.find((store) => store.name === event.store) as NamedStoreConfig, { ...dependencies, clock: systemClock, logger }));
  const pending = new PendingBook();
  const metrics = new ReplicatorMetrics(registry, () => pending.snapshot(Date.now()));
  const replicator = new Replicator(config, { stores, events, metrics, pending, logger });
  return {
    replicator,
    config,
    registry,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    metric: async (name, labels = {}) => {
      const metric = registry.getSingleMetric(name);
      if (metric === undefined) throw new Error(`no metric ${name}`);
      const { values } = await metric.get();
      return values.filter((value) => Object.entries(labels).every(([label, expected]) => value.labels[label] === expected)).reduce((sum, value) => sum + value.value, 0);
    },
  };
}
