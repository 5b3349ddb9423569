/** The controller's Prometheus series (DESIGN § 6 names), on the instance's own registry. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TransitionKind } from './planner';

export class FailoverMetrics {
  /** 1 when this instance's latest probe of the region passed, 0 when it failed. */
  readonly regionHealthy: Gauge<'region' | 'cloud'>;
  /** The weights read from Route53 by the writer of the pair; `record` is self or spill. */
  readonly weight: Gauge<'region' | 'record'>;
  readonly transitions: Counter<'region' | 'kind'>;
  readonly probeDuration: Histogram<'region' | 'result'>;
  /** 1 while this instance is the leader of its cluster's replicas. */
  readonly leader: Gauge;
  /** 1 while the peer's latest poll succeeded. */
  readonly peerUp: Gauge<'peer'>;

  constructor(readonly registry: Registry) {
    this.regionHealthy = new Gauge({ name: 'skyline_failover_region_healthy', help: "1 if this observer's latest probe of the region passed (TCP and HTTP /health), else 0", labelNames: ['region', 'cloud'], registers: [registry] });
    this.weight = new Gauge({ name: 'skyline_failover_weight', help: 'Route53 weight of the region record pair, as last read by the writer of the pair', labelNames: ['region', 'record'], registers: [registry] });
    this.transitions = new Counter({ name: 'skyline_failover_transitions_total', help: 'Weight changes applied, by kind: failover, restore-step, restore-abort, restored, repair', labelNames: ['region', 'kind'], registers: [registry] });
    this.probeDuration = new Histogram({
      name: 'skyline_failover_probe_duration_seconds',
      help: 'Duration of one probe (TCP connect and HTTP /health) of a region',
      labelNames: ['region', 'result'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.leader = new Gauge({ name: 'skyline_failover_leader', help: '1 while this instance is the leader of its cluster and may write', registers: [registry] });
    this.peerUp = new Gauge({ name: 'skyline_failover_peer_up', help: "1 if the peer controller's observations were fetched at the latest poll", labelNames: ['peer'], registers: [registry] });
  }

  countTransition(region: string, kind: TransitionKind): void {
    this.transitions.inc({ region, kind });
  }
}
