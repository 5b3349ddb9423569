/**
 * LeaseStore on the Kubernetes API (coordination.k8s.io/v1 Lease), with the pod's in-cluster service account.
 * The chart's Role grants get/update on this one Lease name and create in the namespace (RBAC cannot limit
 * create by name). No API server runs in the tests: the election logic is tested against an in-memory store
 * that enforces resourceVersion conflicts as the API server does.
 */
import { ApiException, CoordinationV1Api, KubeConfig, V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import { LeaseConflictError, type LeaseRecord, type LeaseSpec, type LeaseStore } from './lease-store';

export interface KubernetesLeaseStoreOptions {
  readonly namespace: string;
  readonly name: string;
}

export class KubernetesLeaseStore implements LeaseStore {
  private readonly api: CoordinationV1Api;

  constructor(private readonly options: KubernetesLeaseStoreOptions) {
    const config = new KubeConfig();
    config.loadFromCluster();
    // Outside a pod the in-cluster settings are absent and the client would only fail later, on every call.
    const server = config.getCurrentCluster()?.server ?? '';
    if (server === '' || server.includes('undefined')) {
      throw new Error('leaderElection.kind kubernetes-lease needs the in-cluster Kubernetes API (KUBERNETES_SERVICE_HOST/PORT are unset); outside a cluster use kind single');
    }
    this.api = config.makeApiClient(CoordinationV1Api);
  }

  async get(): Promise<LeaseRecord | undefined> {
    try {
      return toRecord(await this.api.readNamespacedLease({ name: this.options.name, namespace: this.options.namespace }));
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw error;
    }
  }

  async create(spec: LeaseSpec): Promise<LeaseRecord> {
    return this.conflictsAsErrors(async () =>
      toRecord(await this.api.createNamespacedLease({ namespace: this.options.namespace, body: this.lease(spec) })),
    );
  }

  async replace(spec: LeaseSpec, resourceVersion: string): Promise<LeaseRecord> {
    return this.conflictsAsErrors(async () =>
      toRecord(
        await this.api.replaceNamespacedLease({ name: this.options.name, namespace: this.options.namespace, body: this.lease(spec, resourceVersion) }),
      ),
    );
  }

  private lease(spec: LeaseSpec, resourceVersion?: string): V1Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.options.name, namespace: this.options.namespace, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
      spec: {
        holderIdentity: spec.holderIdentity,
        leaseDurationSeconds: spec.leaseDurationSeconds,
        acquireTime: new V1MicroTime(spec.acquireTime.getTime()),
        renewTime: new V1MicroTime(spec.renewTime.getTime()),
        leaseTransitions: spec.leaseTransitions,
      },
    };
  }

  private async conflictsAsErrors(call: () => Promise<LeaseRecord>): Promise<LeaseRecord> {
    try {
      return await call();
    } catch (error) {
      // 409: AlreadyExists on create, Conflict (stale resourceVersion) on replace.
      if (error instanceof ApiException && error.code === 409) throw new LeaseConflictError(`${this.options.namespace}/${this.options.name} was written by someone else`);
      throw error;
    }
  }
}

function toRecord(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: new Date(spec.acquireTime ?? 0),
    renewTime: new Date(spec.renewTime ?? 0),
    leaseTransitions: spec.leaseTransitions ?? 0,
    resourceVersion: lease.metadata?.resourceVersion ?? '',
  };
}
