/**
 * Leader election on a Lease, the algorithm of client-go's leaderelection package: every retry period a
 * candidate reads the Lease; the holder renews it; another candidate takes it only once it has seen the same
 * record unchanged for leaseDuration (measured on its own clock from when it saw the record change, so no two
 * clocks are compared). A leader that fails to renew for renewDeadline (< leaseDuration) stops acting before
 * anyone else may acquire, so two leaders never act at once. Writes use the resourceVersion read, so of two
 * candidates racing for the same Lease the API server lets exactly one through.
 */
import type { Clock } from '../../../common/src/clock';
import type { Logger } from '../../../common/src/logger';
import type { Leadership } from './leadership';
import { LeaseConflictError, type LeaseRecord, type LeaseSpec, type LeaseStore } from './lease-store';

export interface LeaseElectorOptions {
  readonly identity: string;
  readonly store: LeaseStore;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called when this instance gains or loses leadership. */
  readonly onChange?: (leader: boolean) => void;
}

export class LeaseElector implements Leadership {
  private observed: LeaseRecord | undefined;
  /** Local time when the observed record last changed. */
  private observedAt = 0;
  /** Local time of this instance's last successful acquire or renew. */
  private renewedAt: number | undefined;
  private wasLeader = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: LeaseElectorOptions) {}

  isLeader(): boolean {
    const leader = this.renewedAt !== undefined && this.options.clock.now() - this.renewedAt < this.options.renewDeadlineMs;
    this.notify(leader);
    return leader;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.isLeader()) await this.release();
    this.renewedAt = undefined;
    this.notify(false);
  }

  /** One acquire-or-renew attempt; true when this instance holds the Lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const { identity, store, clock, leaseDurationMs } = this.options;
    const now = clock.now();
    const spec = (holder: string, transitions: number, acquireTime: Date): LeaseSpec => ({
      holderIdentity: holder,
      leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
      acquireTime,
      renewTime: new Date(now),
      leaseTransitions: transitions,
    });
    try {
      const current = await store.get();
      if (current === undefined) {
        this.see(await store.create(spec(identity, 0, new Date(now))), now);
        this.renewedAt = now;
        return this.isLeader();
      }
      if (this.observed?.resourceVersion !== current.resourceVersion) this.see(current, now);
      const heldByOther = current.holderIdentity !== '' && current.holderIdentity !== identity;
      if (heldByOther && now - this.observedAt < leaseDurationMs) {
        this.renewedAt = undefined;
        return this.isLeader();
      }
      const next = current.holderIdentity === identity ? spec(identity, current.leaseTransitions, current.acquireTime) : spec(identity, current.leaseTransitions + 1, new Date(now));
      this.see(await store.replace(next, current.resourceVersion), now);
      this.renewedAt = now;
    } catch (error) {
      // A conflict means someone else wrote first; any other error (API server unreachable) is a failed renew.
      // Either way leadership lapses by itself once renewDeadline passes without a successful renew.
      if (!(error instanceof LeaseConflictError)) this.options.logger.warn({ err: error }, 'lease acquire or renew failed');
    }
    return this.isLeader();
  }

  private see(record: LeaseRecord, now: number): void {
    this.observed = record;
    this.observedAt = now;
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      await this.tryAcquireOrRenew();
      await this.options.clock.sleep(this.options.retryPeriodMs, this.abort.signal);
    }
  }

  /** Gives the Lease up (holder empty, as client-go's ReleaseOnCancel does), so a standby need not wait it out. */
  private async release(): Promise<void> {
    const current = this.observed;
    if (current === undefined || current.holderIdentity !== this.options.identity) return;
    try {
      const { resourceVersion, ...spec } = current;
      await this.options.store.replace({ ...spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: new Date(this.options.clock.now()) }, resourceVersion);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'lease release failed; a standby takes over when the lease expires');
    }
  }

  private notify(leader: boolean): void {
    if (leader === this.wasLeader) return;
    this.wasLeader = leader;
    this.options.logger.info({ identity: this.options.identity }, leader ? 'became leader' : 'stopped being leader');
    this.options.onChange?.(leader);
  }
}
