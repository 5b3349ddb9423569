/** Consecutive failure and success counts per region, from this instance's own probes. */
import type { RegionName, RegionObservation } from '../domain';
import type { ProbeResult } from './prober';

export class HealthCounters {
  private readonly observations = new Map<RegionName, RegionObservation>();

  /** Adds a probe result of `region`, finished at `at` (ms), and returns the region's new observation. */
  record(region: RegionName, result: ProbeResult, at: number): RegionObservation {
    const previous = this.observations.get(region);
    const next: RegionObservation = result.ok
      ? { consecutiveFailures: 0, consecutiveSuccesses: (previous?.consecutiveSuccesses ?? 0) + 1, probedAt: at }
      : { consecutiveFailures: (previous?.consecutiveFailures ?? 0) + 1, consecutiveSuccesses: 0, probedAt: at, ...(result.error === undefined ? {} : { lastError: result.error }) };
    this.observations.set(region, next);
    return next;
  }

  snapshot(): Readonly<Record<RegionName, RegionObservation>> {
    return Object.fromEntries(this.observations);
  }
}
