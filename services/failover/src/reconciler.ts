/**
 * One reconcile pass: observe (the weights in Route53, the fresh observations) → plan (pure) → apply
 * (idempotent desired-state write), for each region whose pair this instance writes. Nothing about the records
 * is kept between passes except how long the current weights have been seen unchanged (the soak clock), and
 * that restarts from zero after a restart: a restarted controller soaks a step again rather than skip it.
 */
import type { Clock } from '../../common/src/clock';
import type { Logger } from '../../common/src/logger';
import type { Alerts } from './alerts/alerts';
import type { FailoverConfig, RegionConfig } from './config';
import type { DnsWeights } from './dns/dns-weights';
import { sameWeights, type RegionName, type Weights } from './domain';
import type { FailoverMetrics } from './metrics';
import type { ObservationBook } from './observations/observation-book';
import { recordWriter } from './ownership';
import { planRegion, type RegionPlan } from './planner';
import { describeEvidence, tallyRegion, type QuorumSettings } from './quorum';

export interface ReconcilerDependencies {
  readonly config: FailoverConfig;
  readonly book: ObservationBook;
  readonly dns: DnsWeights;
  readonly alerts: Alerts;
  readonly metrics: FailoverMetrics;
  readonly clock: Clock;
  readonly logger: Logger;
}

interface Seen {
  readonly weights: Weights;
  readonly since: number;
}

export class Reconciler {
  private readonly seen = new Map<RegionName, Seen>();
  private readonly missingReported = new Set<RegionName>();

  constructor(private readonly deps: ReconcilerDependencies) {}

  /** Plans and applies every region this instance writes; one region's error does not stop the others. */
  async pass(): Promise<void> {
    const { config, book, clock } = this.deps;
    const now = clock.now();
    const live = book.liveObservers(now);
    const order = config.regions.map((region) => region.name);
    const mine = config.regions.filter((region) => recordWriter(region.name, order, live) === book.self);
    await Promise.all(
      mine.map((region) =>
        this.reconcileRegion(region).catch((error: unknown) => {
          this.deps.logger.error({ region: region.name, err: error }, 'reconcile failed; retried next pass');
        }),
      ),
    );
  }

  private async reconcileRegion(region: RegionConfig): Promise<void> {
    const { config, book, dns, metrics, clock, logger } = this.deps;
    const current = await dns.read(region.name);
    if (current === undefined) {
      if (!this.missingReported.has(region.name)) logger.error({ region: region.name }, 'record pair not found in the hosted zone; nothing to move until the global stack creates it');
      this.missingReported.add(region.name);
      return;
    }
    this.missingReported.delete(region.name);
    metrics.weight.set({ region: region.name, record: 'self' }, current.self);
    metrics.weight.set({ region: region.name, record: 'spill' }, current.spill);

    const now = clock.now();
    const heldForMs = now - this.since(region.name, current, now);
    const settings: QuorumSettings = config.detection;
    const ttlMs = config.detection.observationTtlSeconds * 1000;
    const reports = book.reports();
    const tally = tallyRegion(region.name, reports, settings, now, ttlMs);
    const plan = planRegion({
      region: region.name,
      spillTarget: region.spillTarget,
      current,
      tally,
      targetTally: tallyRegion(region.spillTarget, reports, settings, now, ttlMs),
      heldForMs,
      restoreSteps: config.restore.steps,
      soakMs: config.restore.soakSeconds * 1000,
    });
    const decision = { region: region.name, phase: plan.phase, current, desired: plan.desired, transition: plan.transition, reason: plan.reason, dryRun: config.dryRun };
    if (plan.transition === undefined) {
      logger.debug(decision, 'hold');
    } else if (config.dryRun) {
      logger.info(decision, `dry run: would ${plan.transition}`);
    } else {
      logger.info(decision, plan.transition);
      await dns.write(region.name, plan.desired, plan.reason);
      metrics.countTransition(region.name, plan.transition);
      metrics.weight.set({ region: region.name, record: 'self' }, plan.desired.self);
      metrics.weight.set({ region: region.name, record: 'spill' }, plan.desired.spill);
    }
    if (!config.dryRun) this.alert(region, plan, describeEvidence(tally.evidence));
  }

  /** When this instance first saw `weights` unchanged for the region (now, if they just changed). */
  private since(region: RegionName, weights: Weights, now: number): number {
    const seen = this.seen.get(region);
    if (seen !== undefined && sameWeights(seen.weights, weights)) return seen.since;
    this.seen.set(region, { weights, since: now });
    return now;
  }

  private alert(region: RegionConfig, plan: RegionPlan, evidence: string): void {
    if (plan.alert === 'resolved') {
      this.deps.alerts.resolved(region.name);
    } else if (plan.alert === 'firing') {
      this.deps.alerts.firing({
        region: region.name,
        cloud: region.cloud,
        summary: `${region.name} (${region.cloud}) is failed over: ${plan.desired.spill}% of ${region.hostname} goes to ${region.spillTarget}`,
        evidence,
      });
    }
  }
}
