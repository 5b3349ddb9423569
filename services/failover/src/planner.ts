/**
 * The decision for one region's record pair (pure: no I/O, no clock; unit-tested exhaustively). The phase comes
 * from the weights read from Route53, never from memory, so a restarted controller carries on where the last
 * one stopped:
 * - normal (self 100): fail over to 0/100 when a quorum saw the region down AND the spill target is healthy;
 * - failed over (self 0): once a quorum saw it recovered, start the restore at the first step;
 * - restoring (self between): after each soak, the next step; back to 0/100 at once on a new failure seen by a
 *   quorum; a step is taken only while a quorum's latest probes pass; at 100 the restore is complete and the
 *   alert resolves.
 * Any pair that is not self + spill = 100 is put back in shape first (a hand edit, a half-applied change).
 */
import { FAILED_OVER, NORMAL, type RegionName, type Weights } from './domain';
import { describeEvidence, type RegionTally } from './quorum';

export type Phase = 'normal' | 'failed-over' | 'restoring';

/** Also the `kind` label of skyline_failover_transitions_total. */
export type TransitionKind = 'failover' | 'restore-step' | 'restore-abort' | 'restored' | 'repair';

export interface RegionPlanInput {
  readonly region: RegionName;
  readonly spillTarget: RegionName;
  /** The pair as Route53 has it now. */
  readonly current: Weights;
  readonly tally: RegionTally;
  /** The spill target's tally. */
  readonly targetTally: RegionTally;
  /** How long this instance has seen the current weights unchanged, in ms. */
  readonly heldForMs: number;
  /** Increasing self weights ending at 100. */
  readonly restoreSteps: readonly number[];
  readonly soakMs: number;
}

export interface RegionPlan {
  readonly region: RegionName;
  readonly phase: Phase;
  /** undefined: hold, write nothing. */
  readonly transition?: TransitionKind;
  readonly desired: Weights;
  /** Why, in words, with the evidence: logged with every decision. */
  readonly reason: string;
  /** The region's failover alert after the plan is applied: active while any traffic is spilled. */
  readonly alert: 'firing' | 'resolved' | 'none';
}

export function phaseOf(weights: Weights): Phase {
  if (weights.self >= 100) return 'normal';
  return weights.self <= 0 ? 'failed-over' : 'restoring';
}

export function planRegion(input: RegionPlanInput): RegionPlan {
  const { region, spillTarget, current, tally, targetTally } = input;
  const phase = phaseOf(current);
  const seen = `observers: ${describeEvidence(tally.evidence)}`;
  const targetSeen = `${spillTarget} observers: ${describeEvidence(targetTally.evidence)}`;
  const plan = (desired: Weights, reason: string, transition?: TransitionKind): RegionPlan => ({
    region,
    phase,
    desired,
    reason,
    alert: transition === 'restored' ? 'resolved' : desired.self < 100 ? 'firing' : 'none',
    ...(transition === undefined ? {} : { transition }),
  });
  const normalized: Weights = { self: clampWeight(current.self), spill: 100 - clampWeight(current.self) };
  if (normalized.self !== current.self || normalized.spill !== current.spill) {
    return plan(normalized, `the pair is ${current.self}/${current.spill}, not self + spill = 100; rewriting it as ${normalized.self}/${normalized.spill}`, 'repair');
  }

  switch (phase) {
    case 'normal':
      if (!tally.down) return plan(current, `not down by quorum (${seen})`);
      if (!targetTally.healthy) {
        return plan(current, `down by quorum (${seen}), but spill target ${spillTarget} is not healthy by quorum (${targetSeen}): traffic stays; the Route53 health checks remain the safety net`);
      }
      return plan(FAILED_OVER, `down by quorum (${seen}); spilling to ${spillTarget}, healthy by quorum (${targetSeen})`, 'failover');

    case 'failed-over':
      if (!tally.recovered) return plan(current, `failed over to ${spillTarget}; not recovered by quorum (${seen})`);
      return restoreTo(input.restoreSteps[0], `recovered by quorum (${seen}); restore starts`);

    case 'restoring': {
      if (tally.failing) {
        if (!targetTally.healthy) return plan(current, `restore at ${current.self} sees a new failure (${seen}), but spill target ${spillTarget} is not healthy by quorum (${targetSeen}): holding`);
        return plan(FAILED_OVER, `new failure during restore at ${current.self} (${seen}); aborting back to ${spillTarget}`, 'restore-abort');
      }
      if (!tally.healthy) return plan(current, `restore at ${current.self} holds: no quorum of fresh observations says the region is healthy (${seen})`);
      if (input.heldForMs < input.soakMs) {
        return plan(current, `restore at ${current.self}, soaking ${(input.heldForMs / 1000).toFixed(1)} of ${(input.soakMs / 1000).toFixed(1)} s (${seen})`);
      }
      const next = input.restoreSteps.find((step) => step > current.self) ?? 100;
      return restoreTo(next, `restore at ${current.self} soaked ${(input.heldForMs / 1000).toFixed(1)} s without a new failure (${seen})`);
    }
  }

  function restoreTo(self: number, why: string): RegionPlan {
    const desired = { self, spill: 100 - self };
    return self >= 100 ? plan(NORMAL, `${why}; restore complete`, 'restored') : plan(desired, `${why}; stepping to ${self}/${100 - self}`, 'restore-step');
  }
}

function clampWeight(weight: number): number {
  return Math.min(100, Math.max(0, Math.round(weight)));
}
