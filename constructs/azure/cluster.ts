import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import type { NodePoolConfig } from '../../stacks/environments/schema';
import type { ServiceAccountRef } from '../common/bundled-services';
import { cidrSubnet, parseCidr } from '../common/cidr';
import { nodeLabels } from '../common/node-pools';
import { aksPoolSizing } from './node-pool';
import { AzureWorkloadIdentity } from './workload-identity';

const CLUSTER_ADMIN_ROLE = 'Azure Kubernetes Service RBAC Cluster Admin';

export interface AksClusterProps {
  readonly clusterName: string;
  readonly resourceGroupName: string;
  /** Azure region, e.g. `centralindia`. */
  readonly location: string;
  /** Kubernetes minor version, e.g. "1.33"; AKS applies patches itself (automatic upgrade channel `patch`). */
  readonly kubernetesVersion: string;
  /** Entra tenant that authenticates cluster users. */
  readonly tenantId: string;
  /** Object IDs of Entra groups granted cluster-admin. */
  readonly adminGroupObjectIds: readonly string[];
  /** CIDRs allowed to reach the API server; empty makes the cluster private (no public API endpoint). */
  readonly apiAllowedCidrs: readonly string[];
  /** The pool with role `system`: it becomes the default node pool. */
  readonly systemPool: NodePoolConfig;
  /** Availability zones of the default node pool, e.g. ["1", "2", "3"]. */
  readonly zones: readonly string[];
  /** Subnet for node addresses. */
  readonly nodeSubnetId: string;
  /** Overlay range pods take addresses from; outside the VNet. */
  readonly podCidr: string;
  /** Range of Kubernetes service IPs; the DNS service gets its 10th address. */
  readonly serviceCidr: string;
  /**
   * `Standard` adds the financially backed API-server SLA; `Free` has none.
   * @default 'Free'
   */
  readonly skuTier?: 'Free' | 'Standard';
  /**
   * Make Terraform refuse to destroy or replace the cluster.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * How often the image cleaner removes unused, vulnerable images from nodes.
   * @default 48
   */
  readonly imageCleanerIntervalHours?: number;
  /**
   * Tags on the cluster, its node VMs and the identities it creates.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An AKS cluster: Entra ID authentication with Azure RBAC authorization and
 * local accounts disabled, API server restricted to listed CIDRs (private when
 * none), OIDC issuer and workload identity, Azure CNI overlay with Cilium
 * network policy, automatic patch and node-image upgrades, Azure Policy and the
 * image cleaner. The system pool is the default node pool; other pools are
 * separate `AksNodePool` constructs.
 */
export class AksCluster extends Construct {
  readonly cluster: KubernetesCluster;
  /** The cluster name as configured (a plain string, usable in other resource names). */
  readonly name: string;
  /** The cluster name as a reference, so dependents wait for the cluster. */
  readonly clusterName: string;
  readonly clusterId: string;
  /** API server URL. Sensitive: it comes from the provider's sensitive `kube_config`. */
  readonly host: string;
  /** Base64 PEM of the cluster CA. Sensitive: it comes from the provider's sensitive `kube_config`. */
  readonly clusterCaCertificate: string;
  /** Issuer of service-account tokens, trusted by workload identities' federated credentials. */
  readonly oidcIssuerUrl: string;
  /** Principal ID of the cluster's own (control-plane) identity, for role assignments AKS needs. */
  readonly principalId: string;

  private readonly resourceGroupName: string;
  private readonly location: string;
  private readonly tags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    this.name = props.clusterName;
    this.resourceGroupName = props.resourceGroupName;
    this.location = props.location;
    this.tags = props.tags ?? {};
    const pool = props.systemPool;
    const publicEndpoint = props.apiAllowedCidrs.length > 0;

    this.cluster = new KubernetesCluster(this, 'cluster', {
      name: props.clusterName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      dnsPrefix: props.clusterName,
      kubernetesVersion: props.kubernetesVersion,
      skuTier: props.skuTier ?? 'Free',
      identity: { type: 'SystemAssigned' },
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        tenantId: props.tenantId,
        azureRbacEnabled: true,
        adminGroupObjectIds: [...props.adminGroupObjectIds],
      },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      // Authorized IP ranges apply to the public endpoint only; with none listed there is no public endpoint at all.
      privateClusterEnabled: !publicEndpoint,
      apiServerAccessProfile: publicEndpoint ? { authorizedIpRanges: [...props.apiAllowedCidrs] } : undefined,
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkPolicy: 'cilium',
        networkDataPlane: 'cilium',
        podCidr: props.podCidr,
        serviceCidr: props.serviceCidr,
        // By AKS convention; .1 is taken by the `kubernetes` service.
        dnsServiceIp: hostAddress(props.serviceCidr, 10),
        loadBalancerSku: 'standard',
        outboundType: 'loadBalancer',
      },
      defaultNodePool: {
        name: pool.name,
        ...aksPoolSizing(pool, props),
        // No CriticalAddonsOnly taint: no cloud taints its system pool, because charts select pools by the
        // skyline.io/pool-role label, not by tolerations. The taint would only diverge AKS from EKS and GKE.
        onlyCriticalAddonsEnabled: false,
        nodeLabels: nodeLabels(pool),
        upgradeSettings: { maxSurge: '33%' },
        tags: { ...this.tags },
      },
      automaticUpgradeChannel: 'patch',
      nodeOsUpgradeChannel: 'NodeImage',
      azurePolicyEnabled: true,
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: props.imageCleanerIntervalHours ?? 48,
      tags: { ...this.tags },
      lifecycle: {
        // The cluster autoscaler owns the current size; Terraform owns only the bounds.
        ignoreChanges: ['default_node_pool[0].node_count'],
        preventDestroy: props.preventDestroy ?? false,
      },
    });
    this.clusterName = this.cluster.name;
    this.clusterId = this.cluster.id;
    // kube_config is populated with local accounts disabled too (it is the Entra user kubeconfig); kube_admin_config is not.
    const kubeConfig = this.cluster.kubeConfig.get(0);
    this.host = kubeConfig.host;
    this.clusterCaCertificate = kubeConfig.clusterCaCertificate;
    this.oidcIssuerUrl = this.cluster.oidcIssuerUrl;
    this.principalId = this.cluster.identity.principalId;

    // With a bring-your-own subnet, AKS's own identity needs this to place load balancer frontends and nodes
    // in it; the Azure CLI assigns it implicitly, Terraform must do it explicitly.
    new RoleAssignment(this, 'subnet-network-contributor', {
      scope: props.nodeSubnetId,
      roleDefinitionName: 'Network Contributor',
      principalId: this.cluster.identity.principalId,
      principalType: 'ServicePrincipal',
    });

    // adminGroupObjectIds binds the groups to cluster-admin in Kubernetes RBAC; with Azure RBAC on, the API server
    // also authorizes through Azure role assignments, and this role lets admins fetch the (Entra) kubeconfig.
    for (const principalId of props.adminGroupObjectIds) {
      new RoleAssignment(this, `admin-${principalId}`, {
        scope: this.cluster.id,
        roleDefinitionName: CLUSTER_ADMIN_ROLE,
        principalId,
      });
    }
  }

  /** A managed identity that only `serviceAccount` of this cluster can act as. */
  addWorkloadIdentity(id: string, identityName: string, serviceAccount: ServiceAccountRef): AzureWorkloadIdentity {
    return new AzureWorkloadIdentity(this, id, {
      identityName,
      resourceGroupName: this.resourceGroupName,
      location: this.location,
      oidcIssuerUrl: this.oidcIssuerUrl,
      serviceAccount,
      tags: this.tags,
    });
  }
}

/** The `index`-th address of `cidr` (`10.6.0.0/20`, 10 -> `10.6.0.10`). */
function hostAddress(cidr: string, index: number): string {
  const range = parseCidr(cidr);
  if (!range) throw new Error(`"${cidr}" is not an IPv4 CIDR such as 10.0.0.0/16`);
  return cidrSubnet(cidr, 32 - range.prefixLength, index).split('/')[0];
}
