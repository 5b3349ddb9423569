/** The sync sidecar's Prometheus series, on the instance's own registry. */
import { Counter, Gauge, type Registry } from 'prom-client';

export type SyncFailureReason = 'bad-manifest' | 'source-missing' | 'source-mismatch' | 'error' | 'signal';

export class SyncMetrics {
  /** 1 for the version `current` points at. */
  readonly currentVersion: Gauge<'model' | 'version'>;
  readonly switches: Counter<'model'>;
  readonly failures: Counter<'model' | 'reason'>;
  readonly bytesDownloaded: Counter<'model'>;
  readonly lastCheck: Gauge<'model'>;

  constructor(readonly registry: Registry) {
    this.currentVersion = new Gauge({ name: 'skyline_replicator_sync_current_version_info', help: '1 for the model version the local `current` link points at', labelNames: ['model', 'version'], registers: [registry] });
    this.switches = new Counter({ name: 'skyline_replicator_sync_switches_total', help: 'Times `current` was switched to another version', labelNames: ['model'], registers: [registry] });
    this.failures = new Counter({
      name: 'skyline_replicator_sync_failures_total',
      help: 'Versions not installed, by reason (bad-manifest, source-missing, source-mismatch, error), and failed reload signals (signal)',
      labelNames: ['model', 'reason'],
      registers: [registry],
    });
    this.bytesDownloaded = new Counter({ name: 'skyline_replicator_sync_bytes_downloaded_total', help: 'Bytes downloaded and verified into the local directory', labelNames: ['model'], registers: [registry] });
    this.lastCheck = new Gauge({ name: 'skyline_replicator_sync_last_check_timestamp_seconds', help: 'When the store was last checked for a newer version (Unix time)', labelNames: ['model'], registers: [registry] });
  }
}
