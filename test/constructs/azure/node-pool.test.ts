import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { AksNodePool, type AksNodePoolProps } from '../../../constructs/azure/node-pool';
import type { NodePoolConfig } from '../../../stacks/environments/schema';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const serving: NodePoolConfig = { name: 'serving', role: 'serving', machineType: 'Standard_D8s_v5', minSize: 3, maxSize: 30, spot: false, diskSizeGiB: 200 };
const gpu: NodePoolConfig = {
  name: 'gpu',
  role: 'gpu',
  machineType: 'Standard_NC4as_T4_v3',
  minSize: 0,
  maxSize: 2,
  spot: true,
  diskSizeGiB: 100,
  gpu: { type: 'nvidia-tesla-t4', count: 1 },
};

const baseProps: Omit<AksNodePoolProps, 'pool'> = {
  clusterId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c',
  kubernetesVersion: '1.33',
  nodeSubnetId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes',
  zones: ['1', '2', '3'],
  tags: { 'managed-by': 'cdktf' },
};

function poolOf(pool: NodePoolConfig): Record<string, unknown> {
  return onlyResourceOfType(
    synthConstructs((scope) => new AksNodePool(scope, `node-pool-${pool.name}`, { ...baseProps, pool })),
    'azurerm_kubernetes_cluster_node_pool',
  );
}

describe('azure AksNodePool', () => {
  it('autoscales a user pool between the configured bounds, in every zone, on the node subnet', () => {
    const synthesized = synthConstructs((scope) => new AksNodePool(scope, 'node-pool-serving', { ...baseProps, pool: serving }));
    expect(synthesized).toHaveResourceWithProperties(KubernetesClusterNodePool, {
      name: 'serving',
      mode: 'User',
      kubernetes_cluster_id: baseProps.clusterId,
      vm_size: 'Standard_D8s_v5',
      orchestrator_version: '1.33',
      auto_scaling_enabled: true,
      min_count: 3,
      max_count: 30,
      zones: ['1', '2', '3'],
      vnet_subnet_id: baseProps.nodeSubnetId,
      os_disk_type: 'Managed',
      os_disk_size_gb: 200,
      max_pods: 110,
      tags: { 'managed-by': 'cdktf' },
    });
  });

  it('encrypts at host: temp disks and disk caches, not only the managed disks', () => {
    expect(poolOf(serving).host_encryption_enabled).toBe(true);
    expect(poolOf(gpu).host_encryption_enabled).toBe(true);
  });

  it('labels nodes with the shared pool-role label and leaves on-demand CPU pools untainted', () => {
    const pool = poolOf(serving);
    expect(pool.node_labels).toEqual({ 'skyline.io/pool-role': 'serving' });
    expect(pool.node_taints).toBeUndefined();
    expect(pool.priority).toBe('Regular');
    expect(pool.upgrade_settings).toEqual({ max_surge: '33%' });
  });

  it('leaves the node count to the autoscaler', () => {
    expect(poolOf(serving).lifecycle).toEqual({ ignore_changes: ['node_count'] });
  });

  it('taints GPU pools nvidia.com/gpu=present:NoSchedule, labels the GPU type and has AKS install the driver', () => {
    const pool = poolOf({ ...gpu, spot: false });
    expect(pool.node_taints).toEqual(['nvidia.com/gpu=present:NoSchedule']);
    expect(pool.node_labels).toEqual({ 'skyline.io/pool-role': 'gpu', 'skyline.io/gpu-type': 'nvidia-tesla-t4' });
    expect(pool.gpu_driver).toBe('Install');
  });

  it('runs spot pools as deletable spot VMs capped at the on-demand price, with the spot taint AKS adds declared', () => {
    const pool = poolOf(gpu);
    expect(pool).toMatchObject({ priority: 'Spot', eviction_policy: 'Delete', spot_max_price: -1 });
    expect(pool.node_taints).toEqual(['nvidia.com/gpu=present:NoSchedule', 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule']);
    expect(pool.node_labels).toMatchObject({ 'kubernetes.azure.com/scalesetpriority': 'spot' });
    // AKS rejects surge settings on spot pools.
    expect(pool.upgrade_settings).toBeUndefined();
  });

  it('names a rotation pool within the AKS 12-character limit', () => {
    expect(poolOf(serving).temporary_name_for_rotation).toBe('servingtmp');
    expect(poolOf({ ...serving, name: 'abcdefghijkl' }).temporary_name_for_rotation).toBe('abcdefghitmp');
  });
});
