import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { TerraformOutput } from 'cdktf';
import { AksCluster, type AksClusterProps } from '../../../constructs/azure/cluster';
import { onlyResourceOfType, parse, resourcesOfType, synthConstructs } from '../../helpers/synth';

const ADMIN_GROUP = '11111111-aaaa-4aaa-8aaa-111111111111';

const props: AksClusterProps = {
  clusterName: 'skyline-test',
  resourceGroupName: 'skyline-test-rg',
  location: 'centralindia',
  kubernetesVersion: '1.33',
  tenantId: '22222222-2222-4222-8222-222222222222',
  adminGroupObjectIds: [ADMIN_GROUP],
  apiAllowedCidrs: ['203.0.113.0/24'],
  systemPool: { name: 'system', role: 'system', machineType: 'Standard_D4s_v5', minSize: 2, maxSize: 5, spot: false, diskSizeGiB: 128 },
  zones: ['1', '2', '3'],
  nodeSubnetId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes',
  podCidr: '10.5.0.0/16',
  serviceCidr: '10.6.0.0/20',
  tags: { 'managed-by': 'cdktf' },
};

function clusterOf(synthesized: string): Record<string, unknown> {
  return onlyResourceOfType(synthesized, 'azurerm_kubernetes_cluster');
}

describe('azure AksCluster', () => {
  const synthesized = synthConstructs((scope) => new AksCluster(scope, 'cluster', props));
  const cluster = clusterOf(synthesized);

  it('disables local accounts: every user authenticates with Entra ID', () => {
    expect(synthesized).toHaveResourceWithProperties(KubernetesCluster, {
      local_account_disabled: true,
      role_based_access_control_enabled: true,
    });
  });

  it('authorizes with Azure RBAC for the configured tenant and admin groups', () => {
    expect(cluster.azure_active_directory_role_based_access_control).toEqual({
      azure_rbac_enabled: true,
      tenant_id: '22222222-2222-4222-8222-222222222222',
      admin_group_object_ids: [ADMIN_GROUP],
    });
  });

  it('grants admins the AKS RBAC Cluster Admin role on the cluster scope, one assignment per principal', () => {
    const admins = resourcesOfType(synthesized, 'azurerm_role_assignment').filter((a) => a.principal_id === ADMIN_GROUP);
    expect(admins).toHaveLength(1);
    expect(admins[0].role_definition_name).toBe('Azure Kubernetes Service RBAC Cluster Admin');
    expect(admins[0].scope).toMatch(/^\$\{azurerm_kubernetes_cluster\.cluster_.*\.id\}$/);
  });

  it('gives the cluster identity Network Contributor on the node subnet only', () => {
    const [assignment] = resourcesOfType(synthesized, 'azurerm_role_assignment').filter((a) => a.role_definition_name === 'Network Contributor');
    expect(assignment.scope).toBe(props.nodeSubnetId);
    expect(assignment.principal_id).toMatch(/identity\[0\]\.principal_id\}$/);
    expect(cluster.identity).toEqual({ type: 'SystemAssigned' });
  });

  it('enables the OIDC issuer and workload identity', () => {
    expect(synthesized).toHaveResourceWithProperties(KubernetesCluster, { oidc_issuer_enabled: true, workload_identity_enabled: true });
  });

  it('uses Azure CNI overlay with Cilium policy enforcement and the 10th service address for DNS', () => {
    expect(cluster.network_profile).toEqual({
      network_plugin: 'azure',
      network_plugin_mode: 'overlay',
      network_policy: 'cilium',
      network_data_plane: 'cilium',
      pod_cidr: '10.5.0.0/16',
      service_cidr: '10.6.0.0/20',
      dns_service_ip: '10.6.0.10',
      load_balancer_sku: 'standard',
      outbound_type: 'loadBalancer',
    });
  });

  it('restricts the public API endpoint to the allowed CIDRs', () => {
    expect(cluster.private_cluster_enabled).toBe(false);
    expect(cluster.api_server_access_profile).toEqual({ authorized_ip_ranges: ['203.0.113.0/24'] });
  });

  it('is a private cluster with no public endpoint when no CIDR is allowed', () => {
    const privateCluster = clusterOf(synthConstructs((scope) => new AksCluster(scope, 'cluster', { ...props, apiAllowedCidrs: [] })));
    expect(privateCluster.private_cluster_enabled).toBe(true);
    expect(privateCluster.api_server_access_profile).toBeUndefined();
  });

  it('makes the system pool the autoscaled, zonal, untainted default node pool', () => {
    expect(cluster.default_node_pool).toMatchObject({
      name: 'system',
      vm_size: 'Standard_D4s_v5',
      orchestrator_version: '1.33',
      auto_scaling_enabled: true,
      min_count: 2,
      max_count: 5,
      zones: ['1', '2', '3'],
      vnet_subnet_id: props.nodeSubnetId,
      os_disk_type: 'Managed',
      os_disk_size_gb: 128,
      only_critical_addons_enabled: false,
      node_labels: { 'skyline.io/pool-role': 'system' },
      upgrade_settings: { max_surge: '33%' },
    });
  });

  it('encrypts the default pool at host: temp disks and disk caches, not only the managed disks', () => {
    expect(cluster.default_node_pool).toMatchObject({ host_encryption_enabled: true });
  });

  it('leaves the node count to the autoscaler', () => {
    expect(cluster.lifecycle).toMatchObject({ ignore_changes: ['default_node_pool[0].node_count'] });
  });

  it('upgrades patches and node images automatically, enforces Azure Policy and cleans stale images', () => {
    expect(cluster).toMatchObject({
      kubernetes_version: '1.33',
      automatic_upgrade_channel: 'patch',
      node_os_upgrade_channel: 'NodeImage',
      azure_policy_enabled: true,
      image_cleaner_enabled: true,
      image_cleaner_interval_hours: 48,
    });
  });

  it('uses the Free tier and allows destroy by default; Standard tier and destroy protection when asked', () => {
    expect(cluster.sku_tier).toBe('Free');
    expect(cluster.lifecycle).toMatchObject({ prevent_destroy: false });
    const prod = clusterOf(synthConstructs((scope) => new AksCluster(scope, 'cluster', { ...props, skuTier: 'Standard', preventDestroy: true })));
    expect(prod.sku_tier).toBe('Standard');
    expect(prod.lifecycle).toMatchObject({ prevent_destroy: true });
  });

  it('tags the cluster and its default pool VMs', () => {
    expect(cluster.tags).toEqual({ 'managed-by': 'cdktf' });
    expect((cluster.default_node_pool as Record<string, unknown>).tags).toEqual({ 'managed-by': 'cdktf' });
  });

  it('creates workload identities that trust this cluster issuer', () => {
    const withIdentity = synthConstructs((scope) => {
      new AksCluster(scope, 'cluster', props).addWorkloadIdentity('identity-replicator', 'skyline-test-replicator', {
        namespace: 'skyline-system',
        name: 'replicator',
      });
    });
    expect(onlyResourceOfType(withIdentity, 'azurerm_user_assigned_identity')).toMatchObject({
      name: 'skyline-test-replicator',
      resource_group_name: 'skyline-test-rg',
      location: 'centralindia',
      tags: { 'managed-by': 'cdktf' },
    });
    const credential = onlyResourceOfType(withIdentity, 'azurerm_federated_identity_credential');
    expect(credential.issuer).toMatch(/^\$\{azurerm_kubernetes_cluster\.cluster_.*\.oidc_issuer_url\}$/);
    expect(credential.subject).toBe('system:serviceaccount:skyline-system:replicator');
    expect(credential.audience).toEqual(['api://AzureADTokenExchange']);
  });

  it('exposes host and CA certificate from kube_config (kube_admin_config is empty without local accounts)', () => {
    const outputs = parse(
      synthConstructs((scope) => {
        const aks = new AksCluster(scope, 'cluster', props);
        new TerraformOutput(scope, 'host', { value: aks.host, sensitive: true });
        new TerraformOutput(scope, 'ca', { value: aks.clusterCaCertificate, sensitive: true });
        new TerraformOutput(scope, 'issuer', { value: aks.oidcIssuerUrl });
      }),
    ).output;
    expect(outputs?.host.value).toMatch(/^\$\{azurerm_kubernetes_cluster\.cluster_.*\.kube_config\[0\]\.host\}$/);
    expect(outputs?.ca.value).toMatch(/^\$\{azurerm_kubernetes_cluster\.cluster_.*\.kube_config\[0\]\.cluster_ca_certificate\}$/);
    expect(outputs?.issuer.value).toMatch(/^\$\{azurerm_kubernetes_cluster\.cluster_.*\.oidc_issuer_url\}$/);
  });
});
