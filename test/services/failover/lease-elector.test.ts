/**
 * Leader election over a Lease. No Kubernetes API server can run here, so the election logic runs against an
 * in-memory store that enforces resourceVersion conflicts as the API server does; the Kubernetes adapter
 * (kubernetes-lease-store.ts) only maps these calls onto @kubernetes/client-node and is not exercised.
 */
import { systemClock, type Clock } from '../../../services/common/src/clock';
import { createLogger } from '../../../services/common/src/logger';
import { LeaseElector } from '../../../services/failover/src/leadership/lease-elector';
import { InMemoryLeaseStore } from './in-memory-lease-store';

const logger = createLogger({ service: 'failover', level: 'silent' });

/** A clock the test moves by hand. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return { now: () => now, sleep: async () => undefined, advance: (ms) => (now += ms) };
}

const TIMINGS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

function candidates(store: InMemoryLeaseStore, clock: Clock, ...identities: string[]): LeaseElector[] {
  return identities.map((identity) => new LeaseElector({ identity, store, clock, logger, ...TIMINGS }));
}

describe('LeaseElector', () => {
  it('lets exactly one of two candidates lead, and the other follow while the leader renews', async () => {
    const store = new InMemoryLeaseStore();
    const clock = manualClock();
    const [a, b] = candidates(store, clock, 'pod-a', 'pod-b');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    for (let period = 0; period < 20; period++) {
      clock.advance(TIMINGS.retryPeriodMs);
      expect(await a.tryAcquireOrRenew()).toBe(true);
      expect(await b.tryAcquireOrRenew()).toBe(false);
    }
    expect(store.current()).toMatchObject({ holderIdentity: 'pod-a', leaseTransitions: 0, leaseDurationSeconds: 15 });
  });

  it('resolves a race for a free Lease through the resourceVersion: one wins, the other gets a conflict', async () => {
    const store = new InMemoryLeaseStore();
    const clock = manualClock();
    const [a, b, c] = candidates(store, clock, 'pod-a', 'pod-b', 'pod-c');
    const results = await Promise.all([a.tryAcquireOrRenew(), b.tryAcquireOrRenew(), c.tryAcquireOrRenew()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(store.writes).toBe(1);
  });

  it('takes over only after the leader stopped renewing for a whole lease duration, counting the transition', async () => {
    const store = new InMemoryLeaseStore();
    const clock = manualClock();
    const [a, b] = candidates(store, clock, 'pod-a', 'pod-b');
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew(); // b sees the record now
    clock.advance(TIMINGS.leaseDurationMs - 1); // a is frozen (a long GC pause, a partition)
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.advance(1);
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(store.current()).toMatchObject({ holderIdentity: 'pod-b', leaseTransitions: 1 });
    // The old leader gave up acting long before: renewDeadline < leaseDuration.
    expect(a.isLeader()).toBe(false);
    expect(await a.tryAcquireOrRenew()).toBe(false);
  });

  it('stops acting once renewDeadline passes without a successful renew, before anyone may take over', async () => {
    const store = new InMemoryLeaseStore();
    const clock = manualClock();
    const [a] = candidates(store, clock, 'pod-a');
    await a.tryAcquireOrRenew();
    store.unavailable = true; // the API server is unreachable from this pod
    clock.advance(TIMINGS.renewDeadlineMs - 1);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    clock.advance(1);
    expect(await a.tryAcquireOrRenew()).toBe(false);
    expect(a.isLeader()).toBe(false);
    store.unavailable = false;
    expect(await a.tryAcquireOrRenew()).toBe(true); // still the holder: it renews and leads again
  });

  it('releases the Lease on stop, so a standby takes over at once', async () => {
    const store = new InMemoryLeaseStore();
    const clock = manualClock();
    const changes: boolean[] = [];
    const a = new LeaseElector({ identity: 'pod-a', store, clock, logger, ...TIMINGS, onChange: (leader) => changes.push(leader) });
    const [b] = candidates(store, clock, 'pod-b');
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew();
    await a.stop();
    expect(store.current()).toMatchObject({ holderIdentity: '' });
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(changes).toEqual([true, false]);
  });

  it('campaigns in a loop once started', async () => {
    const store = new InMemoryLeaseStore();
    const a = new LeaseElector({ identity: 'pod-a', store, clock: systemClock, logger, leaseDurationMs: 300, renewDeadlineMs: 200, retryPeriodMs: 20 });
    a.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(a.isLeader()).toBe(true);
    expect(store.writes).toBeGreaterThan(3);
    await a.stop();
    expect(a.isLeader()).toBe(false);
  });
});
