import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { Construct } from 'constructs';
import type { NodePoolConfig } from '../../stacks/environments/schema';
import { GPU_TAINT, nodeLabels } from '../common/node-pools';

/** The label and taint AKS itself puts on every spot node. */
export const AKS_SPOT_LABEL = { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot' } as const;
export const AKS_SPOT_TAINT = `${AKS_SPOT_LABEL.key}=${AKS_SPOT_LABEL.value}:NoSchedule`;

export interface AksNodePoolProps {
  /** ID of the AKS cluster the pool joins. */
  readonly clusterId: string;
  /** Kubernetes minor version, e.g. "1.33"; kept equal to the control plane's. */
  readonly kubernetesVersion: string;
  /** Subnet for node addresses (pods use the cluster's overlay range). */
  readonly nodeSubnetId: string;
  /** Availability zones, e.g. ["1", "2", "3"]. */
  readonly zones: readonly string[];
  /** A pool with role `serving` or `gpu`; the `system` pool is the cluster's default pool instead. */
  readonly pool: NodePoolConfig;
  /**
   * Tags on the pool's VMs.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An autoscaled user node pool for one config pool: the shared Skyline labels,
 * the `nvidia.com/gpu` taint on GPU pools, spot capacity where the pool says so.
 * AKS installs the NVIDIA driver on N-series node images; the NVIDIA device
 * plugin that advertises `nvidia.com/gpu` is deployed with the workloads.
 */
export class AksNodePool extends Construct {
  readonly nodePool: KubernetesClusterNodePool;

  constructor(scope: Construct, id: string, props: AksNodePoolProps) {
    super(scope, id);
    const { pool } = props;
    const taints: string[] = [];
    if (pool.gpu) taints.push(`${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`);
    // AKS taints and labels spot nodes itself; azurerm requires both declared, or every plan shows a diff.
    if (pool.spot) taints.push(AKS_SPOT_TAINT);
    const labels = pool.spot ? { ...nodeLabels(pool), [AKS_SPOT_LABEL.key]: AKS_SPOT_LABEL.value } : nodeLabels(pool);
    const capacity = pool.spot
      ? // Delete, not Deallocate: deallocated spot VMs still count against quota and keep their disks billed.
        // A price cap of -1 pays up to the on-demand price, so nodes are evicted for capacity, never for price.
        // No upgradeSettings: AKS refuses surge settings on spot pools.
        { priority: 'Spot', evictionPolicy: 'Delete', spotMaxPrice: -1 }
      : { priority: 'Regular', upgradeSettings: { maxSurge: '33%' } };

    this.nodePool = new KubernetesClusterNodePool(this, 'node-pool', {
      name: pool.name,
      kubernetesClusterId: props.clusterId,
      mode: 'User',
      ...aksPoolSizing(pool, props),
      nodeLabels: labels,
      nodeTaints: taints.length > 0 ? taints : undefined,
      gpuDriver: pool.gpu ? 'Install' : undefined,
      ...capacity,
      tags: { ...props.tags },
      // The cluster autoscaler owns the current size; Terraform owns only the bounds.
      lifecycle: { ignoreChanges: ['node_count'] },
    });
  }
}

/** Where a pool's nodes go and how they are sized: the same for the default (system) pool and user pools. */
export interface AksPoolPlacement {
  readonly kubernetesVersion: string;
  readonly nodeSubnetId: string;
  readonly zones: readonly string[];
}

/** The node pool fields the cluster's default pool and `AksNodePool` share, from one config pool. */
export function aksPoolSizing(pool: NodePoolConfig, placement: AksPoolPlacement) {
  return {
    vmSize: pool.machineType,
    orchestratorVersion: placement.kubernetesVersion,
    autoScalingEnabled: true,
    minCount: pool.minSize,
    maxCount: pool.maxSize,
    zones: [...placement.zones],
    vnetSubnetId: placement.nodeSubnetId,
    osDiskType: 'Managed',
    osDiskSizeGb: pool.diskSizeGiB,
    // Encryption at host: temp disks, OS and data disk caches and their flow to storage are encrypted too, not
    // only the managed disks at rest. Needs the subscription feature Microsoft.Compute/EncryptionAtHost.
    hostEncryptionEnabled: true,
    // Explicit rather than overlay's 250: the kubelet default elsewhere, and a bounded blast radius per node.
    maxPods: 110,
    // The temporary pool AKS cycles nodes through when a VM size, zone or disk change would otherwise
    // need the pool destroyed (pool names: 1-12 lowercase alphanumerics).
    temporaryNameForRotation: `${pool.name.slice(0, 9)}tmp`,
  };
}
