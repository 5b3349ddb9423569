/**
 * The three services Skyline bundles, and the Kubernetes service accounts they
 * run as. Cloud identities federate with exactly these subjects, so the
 * workloads stacks must create the service accounts with the same names.
 */
export const BUNDLED_SERVICES = ['replicator', 'failover', 'cost-analyzer'] as const;
export type BundledService = (typeof BUNDLED_SERVICES)[number];

/** Namespace the bundled services run in. */
export const SYSTEM_NAMESPACE = 'skyline-system';

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export function serviceAccountOf(service: BundledService): ServiceAccountRef {
  return { namespace: SYSTEM_NAMESPACE, name: service };
}

/** The `sub` claim a projected service-account token carries. */
export function serviceAccountSubject(account: ServiceAccountRef): string {
  return `system:serviceaccount:${account.namespace}:${account.name}`;
}

/**
 * What each service may do with the model bucket of a region. With the default
 * topology (primary -> all others) the replicator reads the primary bucket and
 * writes the others; the failover controller and cost analyzer never touch it.
 */
export type BucketAccess = 'none' | 'read' | 'readWrite';

export type RegionRole = 'primary' | 'secondary' | 'tertiary';

/**
 * Whether `service` runs in a region of `regionRole`: the replicator only in the primary (it copies from there to
 * every other region, through identities federated with the primary's cluster: ADR-007); the others everywhere.
 * A service's cloud identity is federated with a region's cluster only where the service runs there.
 */
export function runsInRegion(service: BundledService, regionRole: RegionRole): boolean {
  return service !== 'replicator' || regionRole === 'primary';
}

export function modelBucketAccess(service: BundledService, regionRole: RegionRole): BucketAccess {
  if (service !== 'replicator') return 'none';
  return regionRole === 'primary' ? 'read' : 'readWrite';
}

/** What every cloud's model bucket offers its identities. */
export interface ModelBucketGrants<Identity> {
  grantRead(identity: Identity): void;
  grantReadWrite(identity: Identity): void;
}

/**
 * One cloud identity per bundled service, each granted on the region's model
 * bucket exactly what `modelBucketAccess` says: one shape for the three clouds.
 */
export function createServiceIdentities<Identity>(
  regionRole: RegionRole,
  bucket: ModelBucketGrants<Identity>,
  create: (service: BundledService) => Identity,
): Readonly<Record<BundledService, Identity>> {
  const identities = {} as Record<BundledService, Identity>;
  for (const service of BUNDLED_SERVICES) {
    const identity = create(service);
    const access = modelBucketAccess(service, regionRole);
    if (access === 'read') bucket.grantRead(identity);
    if (access === 'readWrite') bucket.grantReadWrite(identity);
    identities[service] = identity;
  }
  return identities;
}
