/**
 * The replicator's configs for the local platform, validated by the replicator's own schema before they are
 * written: one `replicate` instance copying the primary's bucket to the other regions' (DESIGN § 8's default
 * topology, driven by the primary bucket's S3 events and a periodic reconcile), and per region one `sync`
 * sidecar keeping the newest complete version of the served model in the directory the region's model server
 * reads, signalling each switch as the environment's `replication.reloadSignal` says (as the workloads stacks'
 * modelSyncOf builds it, with the store rewritten to the emulator and the path to the local directory).
 */
import type { SyncConfigInput } from '../../../constructs/workloads/model-serving-values';
import { parseReplicatorConfig, type ReplicatorConfigInput, type StoreConfig } from '../../../services/replicator/src/config';
import { LOCAL_INTERVALS } from '../intervals';
import type { ModelStores } from '../model-stores';

export function localReplicateConfig(stores: ModelStores, port: number): ReplicatorConfigInput {
  const config: ReplicatorConfigInput = {
    mode: 'replicate',
    // The primary first: the default route copies the first store to every other. Stores are named by region.
    stores: stores.stores.map((store) => ({ name: store.region.name, ...store.config })),
    events: [{ kind: 'sqs', ...stores.primaryEvents, waitSeconds: 1 }],
    reconcile: { intervalSeconds: LOCAL_INTERVALS.replicatorReconcile },
    server: { host: '127.0.0.1', port },
  };
  parseReplicatorConfig(config, 'local replicate config');
  return config;
}

export interface SyncInputs {
  readonly store: StoreConfig;
  /** Names the config in errors. */
  readonly region: string;
  /** The environment's `replication.servedModel`. */
  readonly model: string;
  readonly directory: string;
  /** The environment's `replication.reloadSignal`, made concrete: the file in `directory`, or the server's URL. */
  readonly signal: SyncConfigInput['signal'];
  readonly port: number;
}

export function localSyncConfig(inputs: SyncInputs): SyncConfigInput {
  const config: SyncConfigInput = {
    mode: 'sync',
    store: inputs.store,
    model: inputs.model,
    directory: inputs.directory,
    pollIntervalSeconds: LOCAL_INTERVALS.syncPoll,
    signal: inputs.signal,
    server: { host: '127.0.0.1', port: inputs.port },
  };
  parseReplicatorConfig(config, `local sync config of ${inputs.region}`);
  return config;
}
