/**
 * `npm run replicator -- --config PATH`, or the image's entrypoint with the same flags: loads and validates the
 * config, runs the replicate or the sync mode with the HTTP port (/healthz, /readyz, /metrics), drains on SIGTERM
 * and exits 0. A bad config exits 2 with every problem listed.
 */
import { configPathFromArgs } from '../../common/src/args';
import { systemClock } from '../../common/src/clock';
import { ConfigError } from '../../common/src/config';
import { startServiceServer } from '../../common/src/http-server';
import { createLogger, type Logger } from '../../common/src/logger';
import { createMetricsRegistry } from '../../common/src/metrics';
import { drainOnSignals } from '../../common/src/shutdown';
import type { Registry } from 'prom-client';
import type { ReplicateConfig, ReplicatorConfig, SyncConfig } from './config';
import { createEventSource } from './events/factory';
import { loadReplicatorConfig } from './load-config';
import { ReplicatorMetrics } from './metrics';
import { PendingBook } from './pending-book';
import { Replicator } from './replicator';
import { createObjectStore, type StoreDependencies } from './stores/factory';
import { LocalVersions } from './sync/local-versions';
import { createSignal } from './sync/signal';
import { SyncMetrics } from './sync/sync-metrics';
import { Syncer } from './sync/syncer';

/** Below the chart's terminationGracePeriodSeconds (30), so the drain ends before the kubelet's SIGKILL. */
const DRAIN_TIMEOUT_MS = 25_000;
const MiB = 1024 * 1024;

/** What main needs of either mode. */
interface Mode {
  readonly ready: boolean;
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

function storeDependencies(config: ReplicatorConfig): StoreDependencies {
  const { attempts, baseDelaySeconds, maxDelaySeconds } = config.retry;
  const retry = { attempts, baseDelayMs: baseDelaySeconds * 1000, maxDelayMs: maxDelaySeconds * 1000 };
  const upload =
    config.mode === 'replicate'
      ? { multipartThresholdBytes: config.copy.multipartThresholdMiB * MiB, partSizeBytes: config.copy.partSizeMiB * MiB }
      : // The sidecar never uploads.
        { multipartThresholdBytes: Number.MAX_SAFE_INTEGER, partSizeBytes: 8 * MiB };
  return { retry, upload, azureConnectionString: config.azureStorageConnectionString };
}

function replicateMode(config: ReplicateConfig, logger: Logger, registry: Registry): Mode {
  const dependencies = storeDependencies(config);
  const stores = new Map(config.stores.map((store) => [store.name, createObjectStore(store, dependencies)]));
  const events = config.events.map((event) => {
    const store = config.stores.find((candidate) => candidate.name === event.store);
    if (store === undefined) throw new Error(`event source names store ${event.store}, which the config does not list`);
    return createEventSource(event, store, { retry: dependencies.retry, azureConnectionString: dependencies.azureConnectionString, clock: systemClock, logger });
  });
  const pending = new PendingBook();
  const metrics = new ReplicatorMetrics(registry, () => pending.snapshot(Date.now()));
  return new Replicator(config, { stores, events, metrics, pending, logger });
}

function syncMode(config: SyncConfig, logger: Logger, registry: Registry): Mode {
  return new Syncer(config, {
    store: createObjectStore(config.store, storeDependencies(config)),
    local: new LocalVersions(config.directory),
    signal: createSignal(config.signal),
    metrics: new SyncMetrics(registry),
    logger,
  });
}

async function main(): Promise<void> {
  let config: ReplicatorConfig;
  try {
    config = loadReplicatorConfig(configPathFromArgs(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `replicator: ${(error as Error).message}`}\n`);
    process.exit(2);
  }
  const logger = createLogger({ service: 'replicator', level: config.logLevel, bindings: { mode: config.mode } });
  const registry = createMetricsRegistry({ service: 'replicator' });
  const mode = config.mode === 'replicate' ? replicateMode(config, logger, registry) : syncMode(config, logger, registry);
  const server = await startServiceServer({ host: config.server.host, port: config.server.port, registry, ready: () => mode.ready });
  logger.info({ url: server.url }, 'listening');
  drainOnSignals({
    logger,
    drain: async () => {
      await mode.stop();
      await server.close();
    },
    timeoutMs: DRAIN_TIMEOUT_MS,
  });
  await mode.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`replicator: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
