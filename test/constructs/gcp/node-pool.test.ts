import { GkeNodePool } from '../../../constructs/gcp/node-pool';
import type { NodePoolConfig } from '../../../stacks/environments/schema';
import { resourcesOfType, synthConstructs } from '../../helpers/synth';

const system: NodePoolConfig = { name: 'system', role: 'system', machineType: 'e2-standard-4', minSize: 3, maxSize: 6, spot: false, diskSizeGiB: 100 };
const gpu: NodePoolConfig = {
  name: 'gpu',
  role: 'gpu',
  machineType: 'g2-standard-8',
  minSize: 0,
  maxSize: 2,
  spot: true,
  diskSizeGiB: 200,
  gpu: { type: 'nvidia-l4', count: 2 },
};
const common = {
  clusterId: 'projects/skyline-test/locations/europe-west1/clusters/skyline-test',
  region: 'europe-west1',
  zones: ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
  serviceAccountEmail: 'skyline-test-gke-nodes@skyline-test.iam.gserviceaccount.com',
};

describe('gcp GkeNodePool', () => {
  const synthesized = synthConstructs((scope) => {
    new GkeNodePool(scope, 'node-pool-system', { ...common, pool: system });
    new GkeNodePool(scope, 'node-pool-gpu', { ...common, pool: gpu });
  });
  const pools = resourcesOfType(synthesized, 'google_container_node_pool');
  const poolNamed = (name: string) => {
    const pool = pools.find((candidate) => candidate.name === name);
    if (!pool) throw new Error(`no node pool named ${name}`);
    return pool;
  };
  const nodeConfig = (name: string) => poolNamed(name).node_config as Record<string, unknown>;

  it('creates one pool per config, in the region, over the configured zones', () => {
    expect(pools.map((pool) => pool.name).sort()).toEqual(['gpu', 'system']);
    for (const pool of pools) {
      expect(pool).toMatchObject({ cluster: common.clusterId, location: 'europe-west1', node_locations: common.zones });
    }
  });

  it('autoscales between total sizes across zones, as on the other clouds', () => {
    expect(poolNamed('system').autoscaling).toEqual({ total_min_node_count: 3, total_max_node_count: 6, location_policy: 'BALANCED' });
    expect(poolNamed('gpu').autoscaling).toEqual({ total_min_node_count: 0, total_max_node_count: 2, location_policy: 'ANY' });
  });

  it('starts at the minimum (per zone) and leaves the current size to the autoscaler', () => {
    expect(poolNamed('system').initial_node_count).toBe(1);
    expect(poolNamed('gpu').initial_node_count).toBe(0);
    for (const pool of pools) expect(pool.lifecycle).toEqual({ ignore_changes: ['initial_node_count'] });
  });

  it('uses the machine type, disk size and capacity type of the pool', () => {
    expect(nodeConfig('system')).toMatchObject({ machine_type: 'e2-standard-4', disk_size_gb: 100, spot: false });
    expect(nodeConfig('gpu')).toMatchObject({ machine_type: 'g2-standard-8', disk_size_gb: 200, spot: true });
  });

  it('runs nodes as the node service account with the cloud-platform scope (IAM decides)', () => {
    for (const name of ['system', 'gpu']) {
      expect(nodeConfig(name)).toMatchObject({
        service_account: common.serviceAccountEmail,
        oauth_scopes: ['https://www.googleapis.com/auth/cloud-platform'],
      });
    }
  });

  it('exposes only the GKE metadata server to pods on every pool', () => {
    for (const name of ['system', 'gpu']) expect(nodeConfig(name).workload_metadata_config).toEqual({ mode: 'GKE_METADATA' });
  });

  it('uses shielded VMs with secure boot and integrity monitoring, legacy metadata endpoints off, on every pool', () => {
    for (const name of ['system', 'gpu']) {
      expect(nodeConfig(name).shielded_instance_config).toEqual({ enable_secure_boot: true, enable_integrity_monitoring: true });
      expect(nodeConfig(name).metadata).toEqual({ 'disable-legacy-endpoints': 'true' });
    }
  });

  it('repairs and upgrades nodes automatically, following the release channel', () => {
    for (const pool of pools) {
      expect(pool.management).toEqual({ auto_repair: true, auto_upgrade: true });
      expect(pool.version).toBeUndefined();
    }
  });

  it('labels nodes with the shared cross-cloud labels', () => {
    expect(nodeConfig('system').labels).toEqual({ 'skyline.io/pool-role': 'system' });
    expect(nodeConfig('gpu').labels).toEqual({ 'skyline.io/pool-role': 'gpu', 'skyline.io/gpu-type': 'nvidia-l4' });
  });

  it('attaches the GPUs with GKE-installed drivers and taints GPU nodes', () => {
    expect(nodeConfig('gpu').guest_accelerator).toEqual([
      { type: 'nvidia-l4', count: 2, gpu_driver_installation_config: { gpu_driver_version: 'LATEST' } },
    ]);
    expect(nodeConfig('gpu').taint).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }]);
  });

  it('leaves CPU pools without accelerators or taints', () => {
    expect(nodeConfig('system').guest_accelerator).toBeUndefined();
    expect(nodeConfig('system').taint).toBeUndefined();
  });
});
