/**
 * This instance's own observations and the latest report of each peer. Nothing is deleted: age decides what
 * counts (the quorum tally ignores observations older than the TTL), and a peer is live while its latest
 * report arrived within the TTL.
 */
import type { ObserverReport, RegionName, RegionObservation } from '../domain';

interface PeerEntry {
  readonly report: ObserverReport;
  readonly receivedAt: number;
}

export class ObservationBook {
  private own: Record<RegionName, RegionObservation> = {};
  private readonly peers = new Map<RegionName, PeerEntry>();

  constructor(
    readonly self: RegionName,
    private readonly ttlMs: number,
  ) {}

  setOwn(regions: Readonly<Record<RegionName, RegionObservation>>): void {
    this.own = { ...regions };
  }

  ownReport(): ObserverReport {
    return { observer: this.self, regions: this.own };
  }

  /** Stores a peer's report; one that names another observer than expected is refused (a misrouted URL). */
  recordPeer(expected: RegionName, report: ObserverReport, receivedAt: number): void {
    if (report.observer !== expected) throw new Error(`the peer configured for ${expected} reports as ${report.observer}; check peers[].url`);
    this.peers.set(expected, { report, receivedAt });
  }

  /** Every report, own first; the tally filters each observation by age. */
  reports(): ObserverReport[] {
    return [this.ownReport(), ...[...this.peers.values()].map((entry) => entry.report)];
  }

  /** This instance and every peer heard from within the TTL. */
  liveObservers(now: number): Set<RegionName> {
    const live = new Set([this.self]);
    for (const [observer, entry] of this.peers) if (now - entry.receivedAt <= this.ttlMs) live.add(observer);
    return live;
  }
}
