import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { Construct } from 'constructs';
import type { NodePoolConfig } from '../../stacks/environments/schema';
import { GPU_TAINT, nodeLabels } from '../common/node-pools';
import { GKE_NODE_OAUTH_SCOPES } from './cluster';

export interface GkeNodePoolProps {
  /** Cluster ID (`projects/<p>/locations/<l>/clusters/<name>`), as a reference so the pool waits for the cluster. */
  readonly clusterId: string;
  /** The cluster's region. */
  readonly region: string;
  /** Zones the pool spreads over; sizes in `pool` are totals across them. */
  readonly zones: readonly string[];
  /** Email of the node service account (`GkeCluster.nodeServiceAccountEmail`). */
  readonly serviceAccountEmail: string;
  /** The pool's config: name, role, machine type, total sizes, spot, disk size, GPU. */
  readonly pool: NodePoolConfig;
}

/**
 * A node pool for one pool config, spread over the region's zones: the GKE
 * metadata server only (pods see their workload identity, never the node's),
 * shielded VMs with secure boot, legacy metadata endpoints off, auto-repair and
 * auto-upgrade on (versions follow the cluster's release channel), GPUs with
 * GKE-installed drivers and the `nvidia.com/gpu` taint for GPU pools, spot
 * where the pool says so.
 */
export class GkeNodePool extends Construct {
  readonly nodePool: ContainerNodePool;

  constructor(scope: Construct, id: string, props: GkeNodePoolProps) {
    super(scope, id);
    const { pool } = props;
    this.nodePool = new ContainerNodePool(this, 'node-pool', {
      name: pool.name,
      cluster: props.clusterId,
      location: props.region,
      nodeLocations: [...props.zones],
      // Per zone on a regional pool: start at the configured minimum, which the autoscaler then keeps.
      initialNodeCount: Math.ceil(pool.minSize / props.zones.length),
      // total_* bounds count nodes across all zones, the meaning sizes have on every cloud.
      autoscaling: {
        totalMinNodeCount: pool.minSize,
        totalMaxNodeCount: pool.maxSize,
        // Spot capacity comes from whichever zone has it; on-demand stays spread evenly for zone failures.
        locationPolicy: pool.spot ? 'ANY' : 'BALANCED',
      },
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: pool.machineType,
        diskSizeGb: pool.diskSizeGiB,
        spot: pool.spot,
        serviceAccount: props.serviceAccountEmail,
        oauthScopes: [...GKE_NODE_OAUTH_SCOPES],
        labels: nodeLabels(pool),
        taint: pool.gpu ? [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: 'NO_SCHEDULE' }] : undefined,
        guestAccelerator: pool.gpu
          ? [{ type: pool.gpu.type, count: pool.gpu.count, gpuDriverInstallationConfig: { gpuDriverVersion: 'LATEST' } }]
          : undefined,
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        metadata: { 'disable-legacy-endpoints': 'true' },
      },
      // The autoscaler owns the current size; Terraform owns only the bounds.
      lifecycle: { ignoreChanges: ['initial_node_count'] },
    });
  }
}
