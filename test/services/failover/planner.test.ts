/** The pure decision for one record pair: every phase × every verdict that matters. */
import { FAILED_OVER, NORMAL, type Weights } from '../../../services/failover/src/domain';
import { phaseOf, planRegion, type RegionPlanInput } from '../../../services/failover/src/planner';
import type { RegionTally } from '../../../services/failover/src/quorum';

type Verdict = Pick<RegionTally, 'down' | 'recovered' | 'failing' | 'healthy'>;

const HEALTHY: Verdict = { down: false, recovered: true, failing: false, healthy: true };
const DOWN: Verdict = { down: true, recovered: false, failing: true, healthy: false };
/** A quorum's latest probe failed, but not failureThreshold times yet. */
const NEW_FAILURE: Verdict = { down: false, recovered: false, failing: true, healthy: false };
/** Healthy lately, but not successThreshold times in a row by a quorum yet. */
const RECOVERING: Verdict = { down: false, recovered: false, failing: false, healthy: true };
/** No quorum either way (observers disagree, or too few fresh ones). */
const UNKNOWN: Verdict = { down: false, recovered: false, failing: false, healthy: false };

function tally(region: string, verdict: Verdict): RegionTally {
  return { region, ...verdict, evidence: [{ observer: 'europe-west1', consecutiveFailures: verdict.failing ? 3 : 0, consecutiveSuccesses: verdict.failing ? 0 : 3, ageMs: 200, ...(verdict.failing ? { lastError: 'http: 503' } : {}) }] };
}

function plan(current: Weights, region: Verdict, target: Verdict = HEALTHY, heldForMs = 0, overrides: Partial<RegionPlanInput> = {}) {
  return planRegion({
    region: 'us-west-2',
    spillTarget: 'europe-west1',
    current,
    tally: tally('us-west-2', region),
    targetTally: tally('europe-west1', target),
    heldForMs,
    restoreSteps: [10, 50, 100],
    soakMs: 300_000,
    ...overrides,
  });
}

describe('phaseOf', () => {
  it.each([
    [{ self: 100, spill: 0 }, 'normal'],
    [{ self: 0, spill: 100 }, 'failed-over'],
    [{ self: 10, spill: 90 }, 'restoring'],
    [{ self: 99, spill: 1 }, 'restoring'],
  ] as const)('%j is %s', (weights, phase) => expect(phaseOf(weights)).toBe(phase));
});

describe('planRegion', () => {
  describe('normal (100/0)', () => {
    it.each([
      ['healthy', HEALTHY],
      ['a new failure below the threshold', NEW_FAILURE],
      ['recovering', RECOVERING],
      ['no quorum either way', UNKNOWN],
    ])('holds when the region is %s', (_label, verdict) => {
      const result = plan(NORMAL, verdict);
      expect(result).toMatchObject({ phase: 'normal', desired: NORMAL, alert: 'none' });
      expect(result.transition).toBeUndefined();
    });

    it('fails over to 0/100 when down by quorum and the spill target is healthy, and fires the alert', () => {
      const result = plan(NORMAL, DOWN);
      expect(result).toMatchObject({ transition: 'failover', desired: FAILED_OVER, alert: 'firing' });
      expect(result.reason).toMatch(/^down by quorum \(observers: europe-west1: 3 consecutive failures \(http: 503\), 0\.2 s ago\); spilling to europe-west1/);
    });

    it.each([
      ['down', DOWN],
      ['not healthy by quorum', UNKNOWN],
      ['failing', NEW_FAILURE],
    ])('holds when down but the spill target is %s: spilling onto a dead region helps nobody', (_label, target) => {
      const result = plan(NORMAL, DOWN, target);
      expect(result.transition).toBeUndefined();
      expect(result.desired).toEqual(NORMAL);
      expect(result.reason).toContain('spill target europe-west1 is not healthy by quorum');
    });
  });

  describe('failed over (0/100)', () => {
    it.each([
      ['down', DOWN],
      ['failing', NEW_FAILURE],
      ['healthy but not yet successThreshold times', RECOVERING],
      ['unknown', UNKNOWN],
    ])('holds, alert firing, while the region is %s', (_label, verdict) => {
      const result = plan(FAILED_OVER, verdict, HEALTHY, 10_000_000);
      expect(result).toMatchObject({ phase: 'failed-over', desired: FAILED_OVER, alert: 'firing' });
      expect(result.transition).toBeUndefined();
    });

    it('starts the restore at the first step once recovered by quorum, without a soak at 0', () => {
      expect(plan(FAILED_OVER, HEALTHY, HEALTHY, 0)).toMatchObject({ transition: 'restore-step', desired: { self: 10, spill: 90 }, alert: 'firing' });
    });

    it('restores regardless of the spill target: moving traffic home to a healthy region is always safe', () => {
      expect(plan(FAILED_OVER, HEALTHY, DOWN).transition).toBe('restore-step');
    });

    it('goes straight to 100 and resolves when the only step is 100', () => {
      expect(plan(FAILED_OVER, HEALTHY, HEALTHY, 0, { restoreSteps: [100] })).toMatchObject({ transition: 'restored', desired: NORMAL, alert: 'resolved' });
    });
  });

  describe('restoring', () => {
    const at10: Weights = { self: 10, spill: 90 };
    const at50: Weights = { self: 50, spill: 50 };

    it('holds each step for the soak', () => {
      const result = plan(at10, HEALTHY, HEALTHY, 299_999);
      expect(result).toMatchObject({ phase: 'restoring', desired: at10, alert: 'firing' });
      expect(result.transition).toBeUndefined();
      expect(result.reason).toContain('soaking 300.0 of 300.0 s');
    });

    it.each([
      [at10, 50],
      [at50, 100],
      [{ self: 30, spill: 70 }, 50], // a step not in the list (hand edit): the next one above it
    ])('steps from %j to %d after the soak', (current, next) => {
      const result = plan(current, HEALTHY, HEALTHY, 300_000);
      expect(result.desired).toEqual({ self: next, spill: 100 - next });
      expect(result.transition).toBe(next === 100 ? 'restored' : 'restore-step');
      expect(result.alert).toBe(next === 100 ? 'resolved' : 'firing');
    });

    it('steps after the soak also while only recovering (successes, no streak yet): a soak without failures is the test', () => {
      expect(plan(at10, RECOVERING, HEALTHY, 300_000).transition).toBe('restore-step');
    });

    it.each([
      ['a new failure', NEW_FAILURE],
      ['down', DOWN],
    ])('aborts back to 0/100 at once on %s, soak or not', (_label, verdict) => {
      for (const held of [0, 300_000]) {
        expect(plan(at50, verdict, HEALTHY, held)).toMatchObject({ transition: 'restore-abort', desired: FAILED_OVER, alert: 'firing' });
      }
    });

    it('holds instead of aborting when the spill target is unhealthy too', () => {
      const result = plan(at50, NEW_FAILURE, DOWN, 0);
      expect(result.transition).toBeUndefined();
      expect(result.desired).toEqual(at50);
    });

    it('holds, soaked or not, while no quorum of fresh observations says the region is healthy (observers lost)', () => {
      const result = plan(at10, UNKNOWN, HEALTHY, 300_000);
      expect(result.transition).toBeUndefined();
      expect(result.reason).toContain('no quorum of fresh observations');
    });
  });

  describe('a pair out of shape', () => {
    it.each([
      [{ self: 100, spill: 100 }, NORMAL],
      [{ self: 0, spill: 0 }, FAILED_OVER],
      [{ self: 255, spill: 0 }, NORMAL],
      [{ self: 50, spill: 20 }, { self: 50, spill: 50 }],
    ])('rewrites %j as %j before anything else', (current, desired) => {
      expect(plan(current, DOWN)).toMatchObject({ transition: 'repair', desired });
    });
  });
});
