/**
 * A LeaseStore in memory that behaves like the API server for one Lease: create fails when it exists (409
 * AlreadyExists), replace fails unless the caller's resourceVersion is the current one (409 Conflict), and
 * every write bumps the resourceVersion. `unavailable` simulates an API server that cannot be reached.
 */
import { LeaseConflictError, type LeaseRecord, type LeaseSpec, type LeaseStore } from '../../../services/failover/src/leadership/lease-store';

export class InMemoryLeaseStore implements LeaseStore {
  private record: LeaseRecord | undefined;
  private version = 0;
  unavailable = false;
  writes = 0;

  async get(): Promise<LeaseRecord | undefined> {
    this.check();
    return this.record;
  }

  async create(spec: LeaseSpec): Promise<LeaseRecord> {
    this.check();
    if (this.record !== undefined) throw new LeaseConflictError('leases.coordination.k8s.io "skyline-failover" already exists');
    return this.write(spec);
  }

  async replace(spec: LeaseSpec, resourceVersion: string): Promise<LeaseRecord> {
    this.check();
    if (this.record === undefined) throw new Error('leases.coordination.k8s.io "skyline-failover" not found');
    if (this.record.resourceVersion !== resourceVersion) {
      throw new LeaseConflictError(`the object has been modified (resourceVersion ${resourceVersion}, now ${this.record.resourceVersion})`);
    }
    return this.write(spec);
  }

  /** The Lease as stored now. */
  current(): LeaseRecord | undefined {
    return this.record;
  }

  private write(spec: LeaseSpec): LeaseRecord {
    this.writes++;
    this.record = { ...spec, resourceVersion: String(++this.version) };
    return this.record;
  }

  private check(): void {
    if (this.unavailable) throw new Error('connect ECONNREFUSED 10.0.0.1:443');
  }
}
