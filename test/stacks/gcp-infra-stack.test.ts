import { Testing } from 'cdktf';
import { BUNDLED_SERVICES } from '../../constructs/common/bundled-services';
import { loadEnvironment, type EnvironmentOverrides } from '../../stacks/environments/load';
import { GcpInfraStack } from '../../stacks/gcp-infra-stack';
import { parse, resourcesOfType, type TerraformJson } from '../helpers/synth';

const REGION_KEY = 'gcp-europe-west1';

function synthStack(overrides: EnvironmentOverrides = {}): TerraformJson {
  const environment = loadEnvironment('dev', overrides);
  const region = environment.regions[REGION_KEY];
  if (region.cloud !== 'gcp') throw new Error(`${REGION_KEY} is not a GCP region`);
  const stack = new GcpInfraStack(Testing.app(), `dev-${REGION_KEY}-infra`, { environment, regionKey: REGION_KEY, region });
  return parse(Testing.synth(stack));
}

describe('GcpInfraStack (dev)', () => {
  const json = synthStack();

  it('keeps its state in its own key of the state bucket', () => {
    expect(json.terraform?.backend).toEqual({
      s3: expect.objectContaining({ bucket: 'skyline-terraform-state-111111111111', key: 'skyline/dev-gcp-europe-west1-infra.tfstate', use_lockfile: true }),
    });
  });

  it('configures the provider for the project and region, with labels written verbatim', () => {
    expect(json.provider?.google).toEqual([
      {
        project: 'skyline-dev',
        region: 'europe-west1',
        default_labels: { project: 'skyline', environment: 'dev', 'skyline-region': 'gcp-europe-west1', 'managed-by': 'cdktf' },
      },
    ]);
  });

  it('folds tags into GCP label syntax', () => {
    const labelled = synthStack({ config: [{ tags: { CostCenter: 'ML Platform', '2fa': 'Yes' } }] });
    const [provider] = labelled.provider?.google as { default_labels: Record<string, string> }[];
    expect(provider.default_labels).toMatchObject({ costcenter: 'ml_platform', x2fa: 'yes' });
  });

  it('builds a private, Workload Identity, Dataplane V2 cluster named after the environment', () => {
    const [cluster] = resourcesOfType(json, 'google_container_cluster');
    expect(cluster).toMatchObject({
      name: 'skyline-dev',
      location: 'europe-west1',
      deletion_protection: false,
      release_channel: { channel: 'REGULAR' },
      private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: false, master_ipv4_cidr_block: '172.16.0.0/28' },
      master_authorized_networks_config: { cidr_blocks: [expect.objectContaining({ cidr_block: '203.0.113.0/24' })] },
      workload_identity_config: { workload_pool: 'skyline-dev.svc.id.goog' },
      datapath_provider: 'ADVANCED_DATAPATH',
      ip_allocation_policy: { cluster_secondary_range_name: 'pods', services_secondary_range_name: 'services' },
    });
    expect(cluster.network).toMatch(/^\$\{google_compute_network\.network_\w+\.id\}$/);
    expect(cluster.subnetwork).toMatch(/^\$\{google_compute_subnetwork\.network_subnetwork_\w+\.id\}$/);
  });

  it('carves the subnet ranges from the config', () => {
    const [subnet] = resourcesOfType(json, 'google_compute_subnetwork');
    expect(subnet).toMatchObject({
      ip_cidr_range: '10.1.0.0/20',
      secondary_ip_range: [
        { range_name: 'pods', ip_cidr_range: '10.2.0.0/16' },
        { range_name: 'services', ip_cidr_range: '10.1.16.0/20' },
      ],
    });
  });

  it('creates every configured node pool on the cluster, each with the GKE metadata server only', () => {
    const pools = resourcesOfType(json, 'google_container_node_pool');
    expect(pools.map((pool) => pool.name).sort()).toEqual(['gpu', 'serving', 'system']);
    for (const pool of pools) {
      expect(pool.cluster).toMatch(/^\$\{google_container_cluster\.cluster_\w+\.id\}$/);
      expect(pool.node_config).toMatchObject({
        workload_metadata_config: { mode: 'GKE_METADATA' },
        service_account: expect.stringMatching(/^\$\{google_service_account\.cluster_node-service-account_\w+\.email\}$/),
      });
    }
  });

  it('creates one Google service account per bundled service and the serving pods, each bound to its service account of this cluster, but the replicator\'s', () => {
    const accountIds = resourcesOfType(json, 'google_service_account').map((account) => account.account_id);
    expect(accountIds).toEqual(expect.arrayContaining([...BUNDLED_SERVICES.map((service) => `skyline-dev-${service}`), 'skyline-dev-model-serving']));
    const members = resourcesOfType(json, 'google_service_account_iam_member').map((binding) => binding.member as string);
    // The replicator runs in the primary region: the primary's workloads stack federates its cluster with this account (ADR-007).
    expect(members.map((member) => member.replace(/^.*\[(.*)\]$/, '$1')).sort()).toEqual(['ml-serving/model-serving', 'skyline-system/cost-analyzer', 'skyline-system/failover']);
  });

  it('lets the replicator read and write the model bucket of this secondary region, and nobody else touch it', () => {
    const bucket = resourcesOfType(json, 'google_storage_bucket').find((candidate) => candidate.name === 'skyline-dev-models-euw1')!;
    expect(bucket).toMatchObject({ name: 'skyline-dev-models-euw1', location: 'europe-west1', force_destroy: true });
    expect(bucket.lifecycle_rule).toEqual(
      expect.arrayContaining([{ action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 7, with_state: 'ARCHIVED' } }]),
    );
    // The access-log bucket's only member is Cloud Storage's analytics writer (test/constructs/gcp/access-log-bucket.test.ts).
    const members = resourcesOfType(json, 'google_storage_bucket_iam_member').filter((member) => member.member !== 'group:cloud-storage-analytics@google.com');
    expect(members).toHaveLength(2);
    expect(members).toEqual(expect.arrayContaining([
      expect.objectContaining({
        role: 'roles/storage.objectUser',
        member: expect.stringMatching(/^\$\{google_service_account\.identity-replicator_service-account_\w+\.member\}$/),
      }),
      // The serving pods' sync sidecar reads it.
      expect.objectContaining({
        role: 'roles/storage.objectViewer',
        member: expect.stringMatching(/^\$\{google_service_account\.cluster_identity-model-serving_service-account_\w+\.member\}$/),
      }),
    ]));
  });

  it('grants no admin when the config lists none', () => {
    expect(resourcesOfType(json, 'google_project_iam_member').filter((binding) => binding.role === 'roles/container.admin')).toEqual([]);
  });

  it('outputs what the workloads stacks and operators need', () => {
    const outputs = json.output ?? {};
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'cluster-name',
        'cluster-endpoint',
        'cluster-ca-certificate',
        'gateway-public-ips',
        'model-bucket-name',
        'model-events-subscription',
        'model-serving-identity',
        'workload-pool',
        ...BUNDLED_SERVICES.map((service) => `${service}-identity`),
      ].sort(),
    );
    expect(outputs['cluster-ca-certificate'].value).toMatch(/\.master_auth\[0\]\.cluster_ca_certificate\}$/);
    expect(outputs['workload-pool'].value).toMatch(/\.workload_identity_config\[0\]\.workload_pool\}$/);
    expect(outputs['replicator-identity'].value).toMatch(/^\$\{google_service_account\.identity-replicator_service-account_\w+\.email\}$/);
  });
});

describe('GcpInfraStack key protection', () => {
  it('protects every KMS key (cluster secrets, models, billing export) from terraform destroy in an environment with deletion protection, not in dev', () => {
    const keys = (json: TerraformJson) => resourcesOfType(json, 'google_kms_crypto_key').map((key) => key.lifecycle);
    expect(keys(synthStack())).toEqual([{ prevent_destroy: false }, { prevent_destroy: false }, { prevent_destroy: false }]);
    expect(keys(synthStack({ config: [{ deletionProtection: true }] }))).toEqual([{ prevent_destroy: true }, { prevent_destroy: true }, { prevent_destroy: true }]);
  });
});
