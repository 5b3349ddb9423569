import { GkeCluster, type GkeClusterProps } from '../../../constructs/gcp/cluster';
import { onlyResourceOfType, parse, resourcesOfType, synthConstructs } from '../../helpers/synth';

const props: GkeClusterProps = {
  clusterName: 'skyline-test',
  projectId: 'skyline-test-project',
  projectNumber: '123456789012',
  region: 'europe-west1',
  kubernetesVersion: '1.33',
  releaseChannel: 'STABLE',
  network: 'projects/skyline-test-project/global/networks/skyline-test',
  subnetwork: 'projects/skyline-test-project/regions/europe-west1/subnetworks/skyline-test',
  podRangeName: 'pods',
  serviceRangeName: 'services',
  controlPlaneCidr: '172.16.0.0/28',
  apiAllowedCidrs: ['198.51.100.0/24', '203.0.113.0/24'],
  adminPrincipals: ['group:platform-admins@example.com'],
  deletionProtection: true,
  labels: { environment: 'test' },
};

function clusterOf(synthesized: string): Record<string, unknown> {
  return onlyResourceOfType(synthesized, 'google_container_cluster');
}

describe('gcp GkeCluster', () => {
  const synthesized = synthConstructs((scope) => new GkeCluster(scope, 'cluster', props));
  const cluster = clusterOf(synthesized);
  const nodeServiceAccountMember = expect.stringMatching(/^\$\{google_service_account\.cluster_node-service-account_\w+\.member\}$/);

  it('is a regional cluster on the minimum version, upgraded by its release channel', () => {
    expect(cluster).toMatchObject({ name: 'skyline-test', location: 'europe-west1', min_master_version: '1.33', release_channel: { channel: 'STABLE' } });
  });

  it('makes same-node pod traffic visible to flow logs, and labels the cluster', () => {
    expect(cluster).toMatchObject({ enable_intranode_visibility: true, resource_labels: { environment: 'test' } });
  });

  it('removes the default node pool, which runs as the node service account while it exists', () => {
    expect(cluster).toMatchObject({ remove_default_node_pool: true, initial_node_count: 1 });
    expect(cluster.node_config).toMatchObject({
      service_account: expect.stringMatching(/^\$\{google_service_account\.cluster_node-service-account_\w+\.email\}$/),
      workload_metadata_config: { mode: 'GKE_METADATA' },
    });
    expect(cluster.lifecycle).toEqual({ ignore_changes: ['node_config'] });
  });

  it('is VPC-native on the subnet secondary ranges', () => {
    expect(cluster).toMatchObject({
      network: props.network,
      subnetwork: props.subnetwork,
      networking_mode: 'VPC_NATIVE',
      ip_allocation_policy: { cluster_secondary_range_name: 'pods', services_secondary_range_name: 'services' },
    });
  });

  it('gives nodes private addresses only, with the control plane in its own range', () => {
    expect(cluster.private_cluster_config).toMatchObject({ enable_private_nodes: true, master_ipv4_cidr_block: '172.16.0.0/28' });
  });

  it('limits the API endpoint to the allowed CIDRs, Google Cloud public addresses excluded', () => {
    expect(cluster.private_cluster_config).toMatchObject({ enable_private_endpoint: false });
    const authorized = cluster.master_authorized_networks_config as { cidr_blocks: { cidr_block: string }[]; gcp_public_cidrs_access_enabled: boolean };
    expect(authorized.cidr_blocks.map((block) => block.cidr_block)).toEqual(['198.51.100.0/24', '203.0.113.0/24']);
    expect(authorized.gcp_public_cidrs_access_enabled).toBe(false);
  });

  it('makes the API endpoint private-only when no CIDR is allowed', () => {
    const privateOnly = clusterOf(synthConstructs((scope) => new GkeCluster(scope, 'cluster', { ...props, apiAllowedCidrs: [] })));
    expect(privateOnly.private_cluster_config).toMatchObject({ enable_private_nodes: true, enable_private_endpoint: true });
    expect(privateOnly.master_authorized_networks_config).toMatchObject({ cidr_blocks: [] });
  });

  it('turns on Workload Identity with the project pool', () => {
    expect(cluster.workload_identity_config).toEqual({ workload_pool: 'skyline-test-project.svc.id.goog' });
  });

  it('uses Dataplane V2', () => {
    expect(cluster.datapath_provider).toBe('ADVANCED_DATAPATH');
    expect(cluster.network_policy).toBeUndefined();
  });

  it('requires shielded nodes', () => {
    expect(cluster.enable_shielded_nodes).toBe(true);
  });

  it('turns off legacy ABAC and client certificates', () => {
    expect(cluster.enable_legacy_abac).toBe(false);
    expect(cluster.master_auth).toEqual({ client_certificate_config: { issue_client_certificate: false } });
  });

  it('encrypts Kubernetes secrets with its own rotating Cloud KMS key in the region', () => {
    expect(cluster.database_encryption).toEqual({
      state: 'ENCRYPTED',
      key_name: expect.stringMatching(/^\$\{google_kms_crypto_key\.cluster_secrets-key_\w+\.id\}$/),
    });
    expect(onlyResourceOfType(synthesized, 'google_kms_key_ring')).toMatchObject({ name: 'skyline-test-gke', location: 'europe-west1' });
    expect(onlyResourceOfType(synthesized, 'google_kms_crypto_key').rotation_period).toBe('7776000s');
  });

  it('lets the GKE service agent use the secrets key before the cluster is created', () => {
    expect(onlyResourceOfType(synthesized, 'google_kms_crypto_key_iam_member')).toMatchObject({
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: 'serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com',
    });
    const grantAddress = Object.keys(parse(synthesized).resource?.google_kms_crypto_key_iam_member ?? {})[0];
    expect(cluster.depends_on).toEqual([`google_kms_crypto_key_iam_member.${grantAddress}`]);
  });

  it('ships control-plane and node logs', () => {
    expect(cluster.logging_config).toEqual({
      enable_components: ['SYSTEM_COMPONENTS', 'WORKLOADS', 'APISERVER', 'CONTROLLER_MANAGER', 'SCHEDULER'],
    });
  });

  it('takes deletion protection from the config', () => {
    expect(cluster.deletion_protection).toBe(true);
    const unprotected = clusterOf(synthConstructs((scope) => new GkeCluster(scope, 'cluster', { ...props, deletionProtection: false })));
    expect(unprotected.deletion_protection).toBe(false);
  });

  it('creates a dedicated node service account with only the roles nodes need', () => {
    const accounts = resourcesOfType(synthesized, 'google_service_account');
    expect(accounts).toEqual([expect.objectContaining({ account_id: 'skyline-test-gke-nodes' })]);
    const nodeRoles = resourcesOfType(synthesized, 'google_project_iam_member').filter((binding) => binding.role !== 'roles/container.admin');
    expect(nodeRoles.map((binding) => binding.role).sort()).toEqual([
      'roles/artifactregistry.reader',
      'roles/logging.logWriter',
      'roles/monitoring.metricWriter',
      'roles/monitoring.viewer',
      'roles/stackdriver.resourceMetadata.writer',
    ]);
    for (const binding of nodeRoles) expect(binding).toMatchObject({ project: 'skyline-test-project', member: nodeServiceAccountMember });
  });

  it('grants container.admin to each admin principal, and to nobody else', () => {
    const admins = resourcesOfType(synthesized, 'google_project_iam_member').filter((binding) => binding.role === 'roles/container.admin');
    expect(admins).toEqual([{ project: 'skyline-test-project', role: 'roles/container.admin', member: 'group:platform-admins@example.com' }]);
  });

  it('binds workload identities to the pool of this cluster, so the binding waits for the pool to exist', () => {
    const withIdentity = synthConstructs((scope) => {
      new GkeCluster(scope, 'cluster', props).addWorkloadIdentity('identity-replicator', 'skyline-test-replicator', {
        namespace: 'skyline-system',
        name: 'replicator',
      });
    });
    expect(resourcesOfType(withIdentity, 'google_service_account').map((account) => account.account_id)).toContain('skyline-test-replicator');
    expect(onlyResourceOfType(withIdentity, 'google_service_account_iam_member')).toMatchObject({
      role: 'roles/iam.workloadIdentityUser',
      member: expect.stringMatching(
        /^serviceAccount:\$\{google_container_cluster\.cluster_\w+\.workload_identity_config\[0\]\.workload_pool\}\[skyline-system\/replicator\]$/,
      ),
    });
  });
});
