/** Quorum counting over observers' reports: thresholds, freshness, and the evidence text. */
import type { ObserverReport, RegionObservation } from '../../../services/failover/src/domain';
import { describeEvidence, tallyRegion } from '../../../services/failover/src/quorum';

const NOW = 1_000_000;
const TTL = 1_200;
const SETTINGS = { quorum: 2, failureThreshold: 3, successThreshold: 3 };

function seen(failures: number, successes: number, ageMs = 100, lastError?: string): RegionObservation {
  return { consecutiveFailures: failures, consecutiveSuccesses: successes, probedAt: NOW - ageMs, ...(lastError ? { lastError } : {}) };
}

function reports(...views: (RegionObservation | undefined)[]): ObserverReport[] {
  const observers = ['us-west-2', 'europe-west1', 'centralindia'];
  return views.map((view, index): ObserverReport => ({ observer: observers[index], regions: view ? { 'us-west-2': view } : {} }));
}

function tally(...views: (RegionObservation | undefined)[]) {
  return tallyRegion('us-west-2', reports(...views), SETTINGS, NOW, TTL);
}

describe('tallyRegion', () => {
  it('is down when a quorum each saw failureThreshold consecutive failures', () => {
    expect(tally(seen(3, 0), seen(4, 0), seen(0, 9))).toMatchObject({ down: true, failing: true, recovered: false, healthy: false });
  });

  it('is not down when only one observer saw the failures (a partitioned observer)', () => {
    expect(tally(seen(50, 0), seen(0, 50), seen(0, 50))).toMatchObject({ down: false, failing: false, healthy: true, recovered: true });
  });

  it('is not down when a quorum failed, but fewer than failureThreshold times in a row each', () => {
    expect(tally(seen(2, 0), seen(3, 0), seen(0, 1))).toMatchObject({ down: false, failing: true });
  });

  it('ignores observations older than the TTL: a silent observer is no vote, never a vote for down', () => {
    expect(tally(seen(3, 0), seen(3, 0, TTL + 1), seen(0, 5))).toMatchObject({ down: false, failing: false, healthy: false });
    expect(tally(seen(3, 0), seen(3, 0, TTL), seen(0, 5)).down).toBe(true);
  });

  it('counts an observer with no observation of the region as no vote', () => {
    expect(tally(seen(3, 0), undefined, undefined)).toMatchObject({ down: false, failing: false, evidence: [expect.objectContaining({ observer: 'us-west-2' })] });
  });

  it('is recovered when a quorum each saw successThreshold consecutive successes, healthy from one success each', () => {
    expect(tally(seen(0, 3), seen(0, 3), seen(5, 0))).toMatchObject({ recovered: true, healthy: true, down: false });
    expect(tally(seen(0, 1), seen(0, 2), seen(5, 0))).toMatchObject({ recovered: false, healthy: true });
  });

  it('honours the quorum setting', () => {
    const views = reports(seen(3, 0), seen(3, 0), seen(0, 1));
    expect(tallyRegion('us-west-2', views, { ...SETTINGS, quorum: 3 }, NOW, TTL).down).toBe(false);
    expect(tallyRegion('us-west-2', views, { ...SETTINGS, quorum: 2 }, NOW, TTL).down).toBe(true);
  });

  it('lists the evidence by observer name', () => {
    const result = tally(seen(3, 0, 400, 'tcp: connect ECONNREFUSED'), seen(0, 7, 150), undefined);
    expect(result.evidence.map((item) => item.observer)).toEqual(['europe-west1', 'us-west-2']);
    expect(describeEvidence(result.evidence)).toBe('europe-west1: 7 consecutive successes, 0.1 s ago; us-west-2: 3 consecutive failures (tcp: connect ECONNREFUSED), 0.4 s ago');
    expect(describeEvidence([])).toBe('no fresh observation');
  });
});
