/**
 * The LeaseStore port: one coordination.k8s.io/v1 Lease, read and written with optimistic concurrency exactly
 * as the API server offers it (create fails if it exists, replace fails unless the resourceVersion matches).
 */
export interface LeaseSpec {
  /** Empty when released. */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime: Date;
  readonly renewTime: Date;
  readonly leaseTransitions: number;
}

export interface LeaseRecord extends LeaseSpec {
  readonly resourceVersion: string;
}

export interface LeaseStore {
  get(): Promise<LeaseRecord | undefined>;
  /** Throws LeaseConflictError when the Lease exists already. */
  create(spec: LeaseSpec): Promise<LeaseRecord>;
  /** Throws LeaseConflictError when the Lease changed since `resourceVersion` was read. */
  replace(spec: LeaseSpec, resourceVersion: string): Promise<LeaseRecord>;
}

/** Someone else wrote the Lease first (HTTP 409 from the API server): re-read and try again next period. */
export class LeaseConflictError extends Error {
  constructor(detail: string) {
    super(`lease conflict: ${detail}`);
    this.name = 'LeaseConflictError';
  }
}
