/**
 * Counts observers' agreement about one region (pure). Only fresh observations count: an observer that stopped
 * reporting (crashed, partitioned from us) is no vote at all, never a vote for "down".
 */
import type { ObserverReport, RegionName } from './domain';

export interface QuorumSettings {
  readonly quorum: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

/** What one observer saw of the region, as evidence in logs and in the alert. */
export interface ObserverEvidence {
  readonly observer: RegionName;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  readonly ageMs: number;
  readonly lastError?: string;
}

export interface RegionTally {
  readonly region: RegionName;
  /** A quorum each saw `failureThreshold` consecutive failures: the region is down. */
  readonly down: boolean;
  /** A quorum each saw `successThreshold` consecutive successes: the region has recovered. */
  readonly recovered: boolean;
  /** A quorum's latest probe failed: a new failure, which aborts a restore. */
  readonly failing: boolean;
  /** A quorum's latest probe succeeded: healthy enough to take spilled traffic. */
  readonly healthy: boolean;
  /** Fresh observations of the region, by observer name. */
  readonly evidence: readonly ObserverEvidence[];
}

/** Tallies `region` over the observers' reports, counting only observations at most `ttlMs` old at `now`. */
export function tallyRegion(region: RegionName, reports: readonly ObserverReport[], settings: QuorumSettings, now: number, ttlMs: number): RegionTally {
  const evidence: ObserverEvidence[] = [];
  for (const report of reports) {
    const observation = report.regions[region];
    if (observation === undefined || now - observation.probedAt > ttlMs) continue;
    evidence.push({
      observer: report.observer,
      consecutiveFailures: observation.consecutiveFailures,
      consecutiveSuccesses: observation.consecutiveSuccesses,
      ageMs: Math.max(0, now - observation.probedAt),
      ...(observation.lastError === undefined ? {} : { lastError: observation.lastError }),
    });
  }
  evidence.sort((a, b) => a.observer.localeCompare(b.observer));
  const agree = (test: (item: ObserverEvidence) => boolean): boolean => evidence.filter(test).length >= settings.quorum;
  return {
    region,
    down: agree((item) => item.consecutiveFailures >= settings.failureThreshold),
    recovered: agree((item) => item.consecutiveSuccesses >= settings.successThreshold),
    failing: agree((item) => item.consecutiveFailures >= 1),
    healthy: agree((item) => item.consecutiveSuccesses >= 1),
    evidence,
  };
}

/** One line per observer, e.g. `europe-west1: 3 consecutive failures (http: 503), 0.4 s ago`. */
export function describeEvidence(evidence: readonly ObserverEvidence[]): string {
  if (evidence.length === 0) return 'no fresh observation';
  return evidence
    .map((item) => {
      const streak =
        item.consecutiveFailures > 0
          ? `${item.consecutiveFailures} consecutive failure${item.consecutiveFailures === 1 ? '' : 's'}${item.lastError ? ` (${item.lastError})` : ''}`
          : `${item.consecutiveSuccesses} consecutive success${item.consecutiveSuccesses === 1 ? '' : 'es'}`;
      return `${item.observer}: ${streak}, ${(item.ageMs / 1000).toFixed(1)} s ago`;
    })
    .join('; ');
}
