/** The replicator's Prometheus series (DESIGN § 6 names), on the instance's own registry. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PendingRoute } from './pending-book';
import type { SkipReason } from './planner';

/** Why an object copy failed: verification (`verify-mismatch`, `source-mismatch`) or the store's answer. */
export type CopyFailureReason = 'verify-mismatch' | 'source-mismatch' | 'throttled' | 'denied' | 'unavailable' | 'error';

export type RouteLabels = 'source' | 'destination';

export class ReplicatorMetrics {
  readonly objectsCopied: Counter<RouteLabels>;
  readonly bytesCopied: Counter<RouteLabels>;
  /** Age of the oldest source version not yet complete at the destination; 0 when caught up. */
  readonly lag: Gauge<RouteLabels>;
  /** Objects of the versions still to replicate (files and manifests). */
  readonly pendingObjects: Gauge<RouteLabels>;
  readonly failures: Counter<RouteLabels | 'reason'>;
  readonly skippedObjects: Counter<RouteLabels | 'reason'>;
  readonly skippedVersions: Gauge<RouteLabels | 'reason'>;
  readonly repairs: Counter<RouteLabels | 'reason'>;
  readonly reconciles: Counter<'result'>;
  readonly lastReconcile: Gauge;
  readonly events: Counter<'source' | 'result'>;

  /** `pending` is read at each scrape: the lag grows between two passes, with nothing else changing. */
  constructor(
    readonly registry: Registry,
    pending: () => readonly PendingRoute[],
  ) {
    const route = ['source', 'destination'] as const;
    this.objectsCopied = new Counter({ name: 'skyline_replicator_objects_copied_total', help: 'Objects copied and verified at the destination (files and manifests)', labelNames: route, registers: [registry] });
    this.bytesCopied = new Counter({ name: 'skyline_replicator_bytes_copied_total', help: 'Bytes of the objects copied and verified at the destination', labelNames: route, registers: [registry] });
    this.lag = new Gauge({
      name: 'skyline_replicator_lag_seconds',
      help: 'Seconds since the manifest of the oldest source version not yet complete at the destination was written; 0 when caught up',
      labelNames: route,
      registers: [registry],
      collect: () => {
        for (const entry of pending()) this.lag.set({ source: entry.source, destination: entry.destination }, entry.lagSeconds);
      },
    });
    this.pendingObjects = new Gauge({
      name: 'skyline_replicator_pending_objects',
      help: 'Objects (files and manifests) of the versions still to replicate to the destination',
      labelNames: route,
      registers: [registry],
      collect: () => {
        for (const entry of pending()) this.pendingObjects.set({ source: entry.source, destination: entry.destination }, entry.objects);
      },
    });
    this.failures = new Counter({
      name: 'skyline_replicator_failures_total',
      help: 'Failed object copies by reason: verify-mismatch (destination copy deleted), source-mismatch (source differs from its manifest), throttled, denied, unavailable, error',
      labelNames: [...route, 'reason'],
      registers: [registry],
    });
    this.skippedObjects = new Counter({ name: 'skyline_replicator_skipped_objects_total', help: 'Objects skipped, by reason: source-vanished (deleted at the source during the copy)', labelNames: [...route, 'reason'], registers: [registry] });
    this.skippedVersions = new Gauge({
      name: 'skyline_replicator_skipped_versions',
      help: 'Source versions the last reconcile did not replicate, by reason: incomplete (no manifest yet), bad-manifest, source-missing (a listed file is missing or has another size)',
      labelNames: [...route, 'reason'],
      registers: [registry],
    });
    this.repairs = new Counter({ name: 'skyline_replicator_repairs_total', help: 'Objects the reconcile found missing or different at the destination and copied', labelNames: [...route, 'reason'], registers: [registry] });
    this.reconciles = new Counter({ name: 'skyline_replicator_reconciles_total', help: 'Full reconcile passes, by result (ok: every version replicated or skipped; failed: some copy or listing failed)', labelNames: ['result'], registers: [registry] });
    this.lastReconcile = new Gauge({ name: 'skyline_replicator_last_reconcile_timestamp_seconds', help: 'When the last full reconcile pass ended (Unix time)', registers: [registry] });
    this.events = new Counter({ name: 'skyline_replicator_events_total', help: 'Event messages handled, by result: acked, retried (left on the queue), ignored (outside models/ or another bucket)', labelNames: ['source', 'result'], registers: [registry] });
  }

  setSkippedVersions(source: string, destination: string, counts: Readonly<Record<SkipReason, number>>): void {
    for (const [reason, value] of Object.entries(counts)) this.skippedVersions.set({ source, destination, reason }, value);
  }
}
