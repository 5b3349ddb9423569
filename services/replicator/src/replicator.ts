/**
 * The replicate mode: keeps every destination's copy of its source's model versions complete, through two paths
 * that share one code path per version (observe the version → plan → apply, under a per-version lock):
 * - events: a queue message names keys; each key's version is re-observed and replicated. Duplicates and
 *   reordering are harmless (the state is re-read each time); the message is acknowledged once done;
 * - the reconcile: at start and every `reconcile.intervalSeconds`, list source and destinations whole, plan, and
 *   replicate every version that needs work. It repairs what events missed and what went wrong at a destination,
 *   and reports it (logs and skyline_replicator_repairs_total).
 * Copies into one destination run at most `copy.concurrencyPerDestination` at once, over all versions and paths.
 */
import { systemClock, type Clock } from '../../common/src/clock';
import type { Logger } from '../../common/src/logger';
import { backoffDelayMs } from '../../common/src/retry';
import { BandwidthLimiter } from './bandwidth';
import { Semaphore } from './concurrency';
import type { ReplicateConfig } from './config';
import { Copier, type CopyOutcome } from './copier';
import { classifyError } from './errors';
import type { EventMessage, EventSource } from './events/event-source';
import { KeyedLock } from './keyed-lock';
import { MODELS_PREFIX, parseModelKey, versionId, versionPrefix, type VersionRef } from './layout';
import type { ReplicatorMetrics } from './metrics';
import { observeDestination, SourceObserver, type SourceObservation } from './observer';
import type { PendingBook } from './pending-book';
import { planReplication, type CopyReason, type SkippedVersion, type SkipReason, type VersionPlan } from './planner';
import type { ObjectStore, StoredObject } from './stores/object-store';

export interface ReplicatorDependencies {
  /** By store name: every store the routes name. */
  readonly stores: ReadonlyMap<string, ObjectStore>;
  readonly events: readonly EventSource[];
  readonly metrics: ReplicatorMetrics;
  readonly pending: PendingBook;
  readonly logger: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** How one version fared at one destination. */
export type VersionOutcome =
  /** Already complete and verified: nothing done. */
  | 'in-sync'
  /** Copied (what lacked) and the manifest written. */
  | 'replicated'
  /** The source version is not replicable now: no manifest yet, an invalid one, or a listed file missing. */
  | 'skipped'
  /** A source object vanished or changed during the copy: no manifest written; the next event or pass decides. */
  | 'incomplete'
  /** A copy failed after its retries (or the service is draining): no manifest written; retried later. */
  | 'failed';

export interface VersionResult {
  readonly source: string;
  readonly destination: string;
  readonly ref: VersionRef;
  readonly outcome: VersionOutcome;
  /** The objects copied, with why. */
  readonly copied: readonly { readonly key: string; readonly reason: CopyReason }[];
  readonly detail?: string;
}

export interface RouteReport {
  readonly source: string;
  readonly destination: string;
  /** Why the route could not be observed this pass; nothing else is reported for it then. */
  readonly error?: string;
  readonly inSync: number;
  readonly results: readonly VersionResult[];
  readonly skipped: readonly SkippedVersion[];
}

export interface ReconcileReport {
  readonly routes: readonly RouteReport[];
}

type Trigger = 'event' | 'reconcile';

class DrainingError extends Error {
  constructor() {
    super('draining: copy not started');
    this.name = 'DrainingError';
  }
}

export class Replicator {
  private readonly clock: Clock;
  private readonly abort = new AbortController();
  private readonly locks = new KeyedLock();
  private readonly slots = new Map<string, Semaphore>();
  private readonly observers = new Map<string, SourceObserver>();
  private readonly copiers = new Map<string, Copier>();
  private readonly destinationsOf = new Map<string, string[]>();
  private readonly loops: Promise<void>[] = [];
  private observed = false;

  constructor(
    private readonly config: ReplicateConfig,
    private readonly dependencies: ReplicatorDependencies,
  ) {
    this.clock = dependencies.clock ?? systemClock;
    const { copy, retry } = config;
    const limiter = copy.bandwidthLimitMiBps === undefined ? undefined : new BandwidthLimiter(copy.bandwidthLimitMiBps * 1024 * 1024, this.clock);
    for (const route of config.routes) {
      this.destinationsOf.set(route.from, route.to);
      this.observers.set(route.from, new SourceObserver(this.store(route.from), dependencies.logger));
      for (const destination of route.to) {
        if (!this.slots.has(destination)) this.slots.set(destination, new Semaphore(copy.concurrencyPerDestination));
        dependencies.pending.addRoute(route.from, destination);
        const labels = { source: route.from, destination };
        this.copiers.set(
          routeKey(route.from, destination),
          new Copier({
            attempts: copy.verifyAttempts,
            retry: { baseDelayMs: retry.baseDelaySeconds * 1000, maxDelayMs: retry.maxDelaySeconds * 1000 },
            limiter,
            clock: this.clock,
            logger: dependencies.logger,
            signal: this.abort.signal,
            onVerifyMismatch: () => dependencies.metrics.failures.inc({ ...labels, reason: 'verify-mismatch' }),
          }),
        );
      }
    }
  }

  /**
   * Ready once a reconcile pass has observed every route (stores reachable, credentials good), and not while
   * draining: a rollout with a broken store configuration stalls instead of replacing a working replicator.
   */
  get ready(): boolean {
    return this.observed && !this.abort.signal.aborted;
  }

  /** Starts the reconcile loop and one loop per event source; returns at once. */
  start(): void {
    this.loops.push(this.reconcileLoop());
    for (const source of this.dependencies.events) this.loops.push(this.eventLoop(source));
  }

  /** Drains: takes no new work, lets copies in flight finish (a version cut short gets no manifest), returns. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  /**
   * One full pass over every route: list, compare, repair, report. A store that cannot be listed fails its routes
   * only (reported with `error`); the others are reconciled all the same.
   */
  async reconcile(): Promise<ReconcileReport> {
    const { logger, metrics, pending } = this.dependencies;
    const planned: (Omit<RouteReport, 'results'> & { readonly versions: readonly VersionRef[] })[] = [];
    const failed = (source: string, destination: string, error: unknown): void => {
      logger.error({ source, destination, err: error }, 'reconcile: listing failed; this route is tried again at the next pass');
      planned.push({ source, destination, inSync: 0, skipped: [], versions: [], error: (error as Error).message });
    };
    await Promise.all(
      this.config.routes.map(async (route) => {
        let source: SourceObservation;
        try {
          source = await this.observer(route.from).observe(MODELS_PREFIX);
        } catch (error) {
          for (const destination of route.to) failed(route.from, destination, error);
          return;
        }
        await Promise.all(
          route.to.map(async (destination) => {
            let destinationObjects: readonly StoredObject[];
            try {
              destinationObjects = await observeDestination(this.store(destination), MODELS_PREFIX);
            } catch (error) {
              failed(route.from, destination, error);
              return;
            }
            const plan = planReplication({ source: source.objects, manifests: source.manifests, destination: destinationObjects });
            pending.replace(route.from, destination, plan.versions.map((version) => ({ ref: version.ref, since: version.sourceSince, objects: version.copies.length + 1 })));
            metrics.setSkippedVersions(route.from, destination, countSkipped(plan.skipped));
            for (const skipped of plan.skipped) {
              if (skipped.reason !== 'incomplete') logger.error({ source: route.from, destination, version: versionId(skipped.ref), reason: skipped.reason, detail: skipped.detail }, 'source version not replicable');
            }
            planned.push({ source: route.from, destination, inSync: plan.inSync.length, skipped: plan.skipped, versions: plan.versions.map((version) => version.ref) });
          }),
        );
      }),
    );
    if (planned.every((route) => route.error === undefined)) this.observed = true;
    const routes = await Promise.all(
      planned.map(async ({ versions, ...route }) => {
        // Each version is observed again under its lock: an event may have completed it meanwhile.
        const results = await Promise.all(versions.map((ref) => this.replicateVersionTo(route.source, route.destination, ref, 'reconcile')));
        const report = { ...route, results };
        if (route.error === undefined) logReconcile(logger, report);
        return report;
      }),
    );
    return { routes };
  }

  /** Replicates one version from `source` to each of its destinations (what an event triggers). */
  async replicateVersion(source: string, ref: VersionRef): Promise<VersionResult[]> {
    return Promise.all((this.destinationsOf.get(source) ?? []).map((destination) => this.replicateVersionTo(source, destination, ref, 'event')));
  }

  private async replicateVersionTo(source: string, destination: string, ref: VersionRef, trigger: Trigger): Promise<VersionResult> {
    return this.locks.run(`${destination}\u0000${versionId(ref)}`, async () => {
      const { pending } = this.dependencies;
      if (this.abort.signal.aborted) return { source, destination, ref, outcome: 'failed', copied: [], detail: 'draining: not started' };
      const prefix = versionPrefix(ref);
      const [observed, destinationObjects] = await Promise.all([this.observer(source).observe(prefix), observeDestination(this.store(destination), prefix)]);
      const plan = planReplication({ source: observed.objects, manifests: observed.manifests, destination: destinationObjects });
      const base = { source, destination, ref, copied: [] };
      const [version] = plan.versions;
      if (version === undefined) {
        pending.complete(source, destination, ref);
        const [skipped] = plan.skipped;
        if (skipped !== undefined) return { ...base, outcome: 'skipped', detail: `${skipped.reason}: ${skipped.detail}` };
        if (plan.inSync.length === 0) return { ...base, outcome: 'skipped', detail: 'the version is not at the source' };
        return { ...base, outcome: 'in-sync' };
      }
      return this.apply(source, destination, version, trigger);
    });
  }

  private async apply(source: string, destination: string, version: VersionPlan, trigger: Trigger): Promise<VersionResult> {
    const { logger, pending } = this.dependencies;
    const { ref } = version;
    const log = logger.child({ source, destination, version: versionId(ref), trigger });
    pending.start(source, destination, ref, version.sourceSince, version.copies.length + 1);
    if (version.withdrawManifest) {
      log.warn({ files: version.copies.map((copy) => `${copy.key} (${copy.reason})`) }, 'withdrawing the destination manifest: files under it do not verify');
      await this.store(destination).delete(version.manifest.key);
    }
    const outcomes = await Promise.all(version.copies.map((copy) => this.copyObject(source, destination, ref, copy.key, copy, copy.reason, trigger)));
    const copied = version.copies.filter((_, index) => outcomes[index].kind === 'copied').map((copy) => ({ key: copy.key, reason: copy.reason }));
    const unfinished = outcomes.find((outcome) => outcome.kind !== 'copied');
    if (unfinished !== undefined) {
      const outcome = unfinished.kind === 'failed' ? 'failed' : 'incomplete';
      const detail = unfinished.kind === 'failed' ? unfinished.detail : unfinished.kind === 'vanished' ? 'a source object vanished during the copy' : unfinished.kind === 'source-mismatch' ? unfinished.detail : '';
      log.warn({ outcome, detail }, 'version not complete at the destination: no manifest written');
      return { source, destination, ref, outcome, copied, detail };
    }
    // Last: the manifest, copied from the source and verified like any file, so it is the bytes that were planned.
    const manifest = await this.copyObject(source, destination, ref, version.manifest.key, { size: version.manifest.bytes.length, sha256: version.manifest.sha256 }, version.manifest.reason, trigger);
    if (manifest.kind !== 'copied') {
      const detail = manifest.kind === 'failed' ? manifest.detail : 'the source manifest changed or vanished during the copy';
      log.warn({ detail }, 'manifest not written');
      return { source, destination, ref, outcome: manifest.kind === 'failed' ? 'failed' : 'incomplete', copied, detail };
    }
    pending.complete(source, destination, ref);
    log.info({ objects: copied.length + 1 }, 'version replicated');
    return { source, destination, ref, outcome: 'replicated', copied: [...copied, { key: version.manifest.key, reason: version.manifest.reason }] };
  }

  private async copyObject(
    source: string,
    destination: string,
    ref: VersionRef,
    key: string,
    expected: { readonly size: number; readonly sha256: string },
    reason: CopyReason,
    trigger: Trigger,
  ): Promise<CopyOutcome | { readonly kind: 'failed'; readonly detail: string }> {
    const { metrics, logger, pending } = this.dependencies;
    const labels = { source, destination };
    try {
      const outcome = await this.slot(destination).run(() => {
        if (this.abort.signal.aborted) throw new DrainingError();
        return this.copier(source, destination).copy({ source: this.store(source), destination: this.store(destination), key, expected });
      });
      if (outcome.kind === 'copied') {
        metrics.objectsCopied.inc(labels);
        metrics.bytesCopied.inc(labels, outcome.bytes);
        if (trigger === 'reconcile') metrics.repairs.inc({ ...labels, reason });
        pending.progress(source, destination, ref);
      } else if (outcome.kind === 'vanished') {
        metrics.skippedObjects.inc({ ...labels, reason: 'source-vanished' });
      } else {
        metrics.failures.inc({ ...labels, reason: 'source-mismatch' });
        logger.error({ ...labels, key, detail: outcome.detail }, 'source object does not match its manifest: version not replicated');
      }
      return outcome;
    } catch (error) {
      if (!(error instanceof DrainingError)) {
        metrics.failures.inc({ ...labels, reason: classifyError(error) });
        logger.error({ ...labels, key, err: error }, 'copy failed');
      }
      return { kind: 'failed', detail: (error as Error).message };
    }
  }

  private async reconcileLoop(): Promise<void> {
    const { logger, metrics } = this.dependencies;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const report = await this.reconcile();
        const failed = report.routes.some((route) => route.error !== undefined || route.results.some((result) => result.outcome === 'failed'));
        metrics.reconciles.inc({ result: failed ? 'failed' : 'ok' });
      } catch (error) {
        metrics.reconciles.inc({ result: 'failed' });
        logger.error({ err: error }, 'reconcile pass failed; next pass at the next interval');
      }
      metrics.lastReconcile.set(this.clock.now() / 1000);
      await this.clock.sleep(this.config.reconcile.intervalSeconds * 1000, signal);
    }
  }

  private async eventLoop(source: EventSource): Promise<void> {
    const { logger, metrics } = this.dependencies;
    const signal = this.abort.signal;
    const retry = { baseDelayMs: this.config.retry.baseDelaySeconds * 1000, maxDelayMs: this.config.retry.maxDelaySeconds * 1000 };
    let failures = 0;
    while (!signal.aborted) {
      let messages: EventMessage[];
      try {
        messages = await source.receive(signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        logger.error({ queue: source.description, err: error, failures }, 'receiving events failed; the reconcile still runs');
        await this.clock.sleep(backoffDelayMs(retry, Math.min(failures, 16), Math.random), signal);
        continue;
      }
      await Promise.all(
        messages.map(async (message) => {
          const result = await this.handleMessage(source.store, message);
          metrics.events.inc({ source: source.store, result });
        }),
      );
    }
  }

  private async handleMessage(source: string, message: EventMessage): Promise<'acked' | 'retried' | 'ignored'> {
    const refs = new Map<string, VersionRef>();
    for (const key of message.keys) {
      const parsed = parseModelKey(key);
      if (parsed !== undefined) refs.set(versionId(parsed), { model: parsed.model, version: parsed.version });
    }
    try {
      const results = (await Promise.all([...refs.values()].map((ref) => this.replicateVersion(source, ref)))).flat();
      // A failed copy is retried by the queue's redelivery; everything else is settled (or for the reconcile).
      if (results.some((result) => result.outcome === 'failed')) return 'retried';
    } catch (error) {
      this.dependencies.logger.error({ source, keys: message.keys, err: error }, 'event handling failed; the message comes back after its visibility timeout');
      return 'retried';
    }
    await message.ack();
    return refs.size === 0 ? 'ignored' : 'acked';
  }

  private store(name: string): ObjectStore {
    const store = this.dependencies.stores.get(name);
    if (store === undefined) throw new Error(`no store named ${name}`);
    return store;
  }

  private observer(source: string): SourceObserver {
    return this.observers.get(source) as SourceObserver;
  }

  private copier(source: string, destination: string): Copier {
    return this.copiers.get(routeKey(source, destination)) as Copier;
  }

  private slot(destination: string): Semaphore {
    return this.slots.get(destination) as Semaphore;
  }
}

const routeKey = (source: string, destination: string): string => `${source}\u0000${destination}`;

function countSkipped(skipped: readonly SkippedVersion[]): Record<SkipReason, number> {
  const counts: Record<SkipReason, number> = { incomplete: 0, 'bad-manifest': 0, 'source-missing': 0 };
  for (const version of skipped) counts[version.reason]++;
  return counts;
}

function logReconcile(logger: Logger, report: RouteReport): void {
  const repaired = report.results.filter((result) => result.copied.length > 0);
  for (const result of repaired) {
    const reasons: Partial<Record<CopyReason, number>> = {};
    for (const object of result.copied) reasons[object.reason] = (reasons[object.reason] ?? 0) + 1;
    logger.info({ source: report.source, destination: report.destination, version: versionId(result.ref), outcome: result.outcome, repaired: reasons }, 'reconcile repaired');
  }
  const count = (outcome: VersionOutcome): number => report.results.filter((result) => result.outcome === outcome).length;
  logger.info(
    {
      source: report.source,
      destination: report.destination,
      inSync: report.inSync + count('in-sync'),
      replicated: count('replicated'),
      incomplete: count('incomplete'),
      failed: count('failed'),
      skipped: report.skipped.length,
      objectsRepaired: repaired.reduce((sum, result) => sum + result.copied.length, 0),
    },
    'reconcile pass done',
  );
}
