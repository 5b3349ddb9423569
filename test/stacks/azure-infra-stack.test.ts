import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Testing } from 'cdktf';
import { AzureInfraStack } from '../../stacks/azure-infra-stack';
import { loadEnvironment } from '../../stacks/environments/load';
import type { AzureRegionConfig } from '../../stacks/environments/schema';
import { onlyResourceOfType, parse, resourcesOfType, type TerraformJson } from '../helpers/synth';

const REGION_KEY = 'azure-centralindia';

function synthStack(environmentName: string): string {
  const environment = loadEnvironment(environmentName);
  const region = environment.regions[REGION_KEY] as AzureRegionConfig;
  const stack = new AzureInfraStack(Testing.app(), `${environmentName}-${REGION_KEY}-infra`, { environment, regionKey: REGION_KEY, region });
  return Testing.synth(stack);
}

const TAGGED_TYPES = [
  'azurerm_resource_group',
  'azurerm_virtual_network',
  'azurerm_kubernetes_cluster',
  'azurerm_kubernetes_cluster_node_pool',
  'azurerm_storage_account',
  'azurerm_user_assigned_identity',
];

describe('AzureInfraStack (dev)', () => {
  const synthesized = synthStack('dev');
  const json = parse(synthesized);

  it('configures azurerm for the configured subscription, with Entra ID for storage data-plane calls', () => {
    expect(synthesized).toHaveProviderWithProperties(AzurermProvider, {
      subscription_id: '00000000-0000-0000-0000-000000000000',
      tenant_id: '00000000-0000-0000-0000-000000000000',
      storage_use_azuread: true,
      resource_provider_registrations: 'none',
      features: [{}],
    });
  });

  it('keeps its state under its own key in the S3 backend', () => {
    expect(json.terraform?.backend).toMatchObject({
      s3: { bucket: 'skyline-terraform-state-111111111111', key: 'skyline/dev-azure-centralindia-infra.tfstate', use_lockfile: true },
    });
  });

  it('creates the resource group skyline-<env>-<region>', () => {
    expect(synthesized).toHaveResourceWithProperties(ResourceGroup, { name: 'skyline-dev-centralindia', location: 'centralindia' });
  });

  it('tags every taggable resource with the environment tags, the region key and managed-by', () => {
    const expected = { project: 'skyline', environment: 'dev', 'skyline-region': REGION_KEY, 'managed-by': 'cdktf' };
    for (const type of TAGGED_TYPES) {
      const resources = resourcesOfType(json, type);
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) expect({ type, tags: resource.tags }).toEqual({ type, tags: expected });
    }
  });

  it('builds the cluster from the region config: public endpoint for the allowed CIDRs, Free tier outside prod', () => {
    const cluster = onlyResourceOfType(json, 'azurerm_kubernetes_cluster');
    expect(cluster).toMatchObject({
      name: 'skyline-dev',
      kubernetes_version: '1.33',
      sku_tier: 'Free',
      private_cluster_enabled: false,
      api_server_access_profile: { authorized_ip_ranges: ['203.0.113.0/24'] },
      local_account_disabled: true,
      network_profile: expect.objectContaining({ pod_cidr: '10.5.0.0/16', service_cidr: '10.6.0.0/20', dns_service_ip: '10.6.0.10' }),
      default_node_pool: expect.objectContaining({ name: 'system', min_count: 1, max_count: 3 }),
      lifecycle: expect.objectContaining({ prevent_destroy: false }),
    });
  });

  it('puts VNet and node subnet on the configured ranges', () => {
    expect(onlyResourceOfType(json, 'azurerm_virtual_network').address_space).toEqual(['10.4.0.0/16']);
    expect(onlyResourceOfType(json, 'azurerm_subnet').address_prefixes).toEqual(['10.4.0.0/20']);
  });

  it('adds every non-system pool as a separate node pool', () => {
    const pools = resourcesOfType(json, 'azurerm_kubernetes_cluster_node_pool');
    expect(pools.map((pool) => pool.name).sort()).toEqual(['gpu', 'serving']);
    const gpu = pools.find((pool) => pool.name === 'gpu');
    expect(gpu).toMatchObject({ priority: 'Spot', node_taints: expect.arrayContaining(['nvidia.com/gpu=present:NoSchedule']) });
  });

  it('stores models in a ZRS account that dev may destroy', () => {
    const account = modelAccount(json);
    expect(account).toMatchObject({ name: 'skylinedevmodelsci', account_replication_type: 'ZRS', shared_access_key_enabled: false });
    expect(account.lifecycle).toEqual({ prevent_destroy: false });
    expect(account.blob_properties).toMatchObject({ delete_retention_policy: { days: 7 } });
  });

  it('creates one managed identity per bundled service and the serving pods, each federated with this cluster, but the replicator\'s', () => {
    const identities = resourcesOfType(json, 'azurerm_user_assigned_identity').map((identity) => identity.name);
    expect(identities.sort()).toEqual(['skyline-dev-cost-analyzer', 'skyline-dev-failover', 'skyline-dev-model-serving', 'skyline-dev-replicator']);
    const subjects = resourcesOfType(json, 'azurerm_federated_identity_credential').map((credential) => credential.subject);
    // The replicator runs in the primary region: the primary's workloads stack federates its cluster with this identity (ADR-007).
    expect(subjects.sort()).toEqual([
      'system:serviceaccount:ml-serving:model-serving',
      'system:serviceaccount:skyline-system:cost-analyzer',
      'system:serviceaccount:skyline-system:failover',
    ]);
  });

  it('lets only the replicator write models in this (tertiary) region, and the serving pods read them', () => {
    const onModels = resourcesOfType(json, 'azurerm_role_assignment').filter((assignment) => /azurerm_storage_container\.model-storage_container_/.test(String(assignment.scope)));
    expect(onModels.map((assignment) => [assignment.role_definition_name, String(assignment.principal_id).replace(/^.*[._](identity-[a-z-]+)_identity_.*$/, '$1')]).sort()).toEqual([
      ['Storage Blob Data Contributor', 'identity-replicator'],
      ['Storage Blob Data Reader', 'identity-model-serving'],
    ]);
  });

  it('outputs what the workloads stacks need, marking kube_config-derived values sensitive', () => {
    const outputs = json.output ?? {};
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'cluster-ca-certificate',
        'cluster-endpoint',
        'cluster-name',
        'cost-analyzer-identity',
        'failover-identity',
        'gateway-public-ips',
        'model-container',
        'model-events-queue',
        'model-serving-identity',
        'model-storage-account',
        'oidc-issuer',
        'replicator-identity',
      ].sort(),
    );
    expect(outputs['cluster-endpoint']).toMatchObject({ sensitive: true, value: expect.stringMatching(/\.kube_config\[0\]\.host\}$/) });
    expect(outputs['cluster-ca-certificate']).toMatchObject({ sensitive: true, value: expect.stringMatching(/\.kube_config\[0\]\.cluster_ca_certificate\}$/) });
    expect(outputs['replicator-identity'].value).toMatch(/identity-replicator_identity_.*\.client_id\}$/);
    expect(outputs['oidc-issuer'].value).toMatch(/\.oidc_issuer_url\}$/);
  });
});

describe('AzureInfraStack (prod)', () => {
  const json = parse(synthStack('prod'));

  it('uses the Standard tier and protects the cluster from destroy', () => {
    const cluster = onlyResourceOfType(json, 'azurerm_kubernetes_cluster');
    expect(cluster.sku_tier).toBe('Standard');
    expect(cluster.lifecycle).toMatchObject({ prevent_destroy: true });
  });

  it('makes admins cluster admins through Entra and Azure RBAC', () => {
    const admin = '33333333-aaaa-4aaa-8aaa-333333333333';
    const cluster = onlyResourceOfType(json, 'azurerm_kubernetes_cluster');
    expect(cluster.azure_active_directory_role_based_access_control).toMatchObject({ azure_rbac_enabled: true, admin_group_object_ids: [admin] });
    const assignments = resourcesOfType(json, 'azurerm_role_assignment').filter((assignment) => assignment.principal_id === admin);
    expect(assignments.map((assignment) => assignment.role_definition_name)).toEqual(['Azure Kubernetes Service RBAC Cluster Admin']);
  });

  it('stores models geo-zone-redundantly and refuses to destroy them', () => {
    const account = modelAccount(json);
    expect(account.account_replication_type).toBe('GZRS');
    expect(account.lifecycle).toEqual({ prevent_destroy: true });
  });
});

/** The model storage account (the cost export has its own account beside it). */
function modelAccount(json: TerraformJson): Record<string, unknown> {
  const accounts = resourcesOfType(json, 'azurerm_storage_account').filter((account) => /models/.test(String(account.name)));
  expect(accounts).toHaveLength(1);
  return accounts[0];
}
