import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AksCluster } from '../constructs/azure/cluster';
import { AksControlPlaneLogs } from '../constructs/azure/control-plane-logs';
import { ModelStorage } from '../constructs/azure/model-storage';
import { AzureNetwork } from '../constructs/azure/network';
import { AzureGatewayAddress } from '../constructs/azure/gateway-address';
import { AksNodePool } from '../constructs/azure/node-pool';
import type { AzureWorkloadIdentity } from '../constructs/azure/workload-identity';
import { createServiceIdentities, serviceAccountOf, type BundledService } from '../constructs/common/bundled-services';
import { configureBackend } from './backend';
import type { AzureRegionConfig, EnvironmentConfig } from './environments/schema';
import { EXEC_API_VERSION, type KubernetesConnection, type RegionalInfra } from './regional-infra';

export interface AzureInfraStackProps {
  readonly environment: EnvironmentConfig;
  readonly regionKey: string;
  readonly region: AzureRegionConfig;
}

/** `<env>-azure-<region>-infra`: resource group, VNet, AKS, node pools, model storage, service identities. */
export class AzureInfraStack extends TerraformStack implements RegionalInfra {
  readonly cluster: AksCluster;
  readonly modelStorage: ModelStorage;
  readonly serviceIdentities: Readonly<Record<BundledService, AzureWorkloadIdentity>>;
  readonly kubernetes: KubernetesConnection;
  readonly gatewayAddress: AzureGatewayAddress['binding'];

  constructor(scope: Construct, id: string, props: AzureInfraStackProps) {
    super(scope, id);
    const { environment, region } = props;
    configureBackend(this, id, environment.backend);
    new AzurermProvider(this, 'azurerm', {
      features: [{}],
      subscriptionId: region.subscriptionId,
      tenantId: region.tenantId,
      // Shared keys are disabled on the storage account, so the provider must use Entra ID for blob data-plane calls.
      storageUseAzuread: true,
      // Registering resource providers needs subscription-wide rights the deploying identity should not hold;
      // the subscription owner registers them once.
      resourceProviderRegistrations: 'none',
    });

    // azurerm has no provider-level default tags: every construct gets them explicitly.
    const tags = { ...environment.tags, 'skyline-region': props.regionKey, 'managed-by': 'cdktf' };
    const name = `skyline-${environment.name}`;
    const resourceGroup = new ResourceGroup(this, 'resource-group', {
      name: `${name}-${region.region}`,
      location: region.region,
      tags,
    });
    const placement = { resourceGroupName: resourceGroup.name, location: region.region, tags };

    const network = new AzureNetwork(this, 'network', {
      ...placement,
      name,
      vnetCidr: region.network.vnetCidr,
      nodeSubnetCidr: region.network.nodeSubnetCidr,
    });
    const systemPool = region.nodePools.find((pool) => pool.role === 'system');
    if (!systemPool) throw new Error(`${props.regionKey}: no node pool has role "system"; AKS needs one for its default pool`);
    this.cluster = new AksCluster(this, 'cluster', {
      ...placement,
      clusterName: name,
      kubernetesVersion: region.kubernetesVersion,
      tenantId: region.tenantId,
      adminGroupObjectIds: region.adminPrincipals,
      apiAllowedCidrs: region.apiAllowedCidrs,
      systemPool,
      zones: region.zones,
      nodeSubnetId: network.nodeSubnetId,
      podCidr: region.network.podCidr,
      serviceCidr: region.network.serviceCidr,
      skuTier: environment.deletionProtection ? 'Standard' : 'Free',
      preventDestroy: environment.deletionProtection,
    });
    new AksControlPlaneLogs(this, 'control-plane-logs', {
      ...placement,
      name,
      clusterId: this.cluster.clusterId,
      retentionDays: environment.logRetentionDays,
    });
    for (const pool of region.nodePools.filter((candidate) => candidate !== systemPool)) {
      new AksNodePool(this, `node-pool-${pool.name}`, {
        clusterId: this.cluster.clusterId,
        kubernetesVersion: region.kubernetesVersion,
        nodeSubnetId: network.nodeSubnetId,
        zones: region.zones,
        pool,
        tags,
      });
    }

    this.modelStorage = new ModelStorage(this, 'model-storage', {
      ...placement,
      storageAccountName: region.storageAccountName,
      noncurrentVersionRetentionDays: environment.noncurrentVersionRetentionDays,
      geoRedundant: environment.deletionProtection,
      retainOnDestroy: environment.deletionProtection,
    });

    this.serviceIdentities = createServiceIdentities(region.role, this.modelStorage, (service) =>
      this.cluster.addWorkloadIdentity(`identity-${service}`, `${name}-${service}`, serviceAccountOf(service)),
    );
    for (const [service, identity] of Object.entries(this.serviceIdentities)) {
      new TerraformOutput(this, `${service}-identity`, {
        value: identity.clientId,
        description: `Client ID of the ${service} managed identity, for its service account's azure.workload.identity/client-id annotation`,
      });
    }

    const gatewayAddress = new AzureGatewayAddress(this, 'gateway-address', {
      ...placement,
      name,
      zones: region.zones,
      clusterPrincipalId: this.cluster.principalId,
    });
    this.gatewayAddress = gatewayAddress.binding;
    this.kubernetes = {
      host: this.cluster.host,
      clusterCaCertificate: this.cluster.clusterCaCertificate,
      // Local accounts are off: tokens come from Entra ID. 6dae42f8-... is the AKS AAD server application, the same in
      // every tenant; `azurecli` reuses the deployer's `az login` (in CI, the OIDC-federated login).
      exec: {
        apiVersion: EXEC_API_VERSION,
        command: 'kubelogin',
        args: ['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630'],
      },
    };

    new TerraformOutput(this, 'gateway-public-ips', { value: gatewayAddress.binding.publicIps, description: 'Static address of the regional gateway' });
    new TerraformOutput(this, 'cluster-name', { value: this.cluster.clusterName });
    // Both come from azurerm's sensitive kube_config block; Terraform refuses to output them unmarked.
    new TerraformOutput(this, 'cluster-endpoint', { value: this.cluster.host, sensitive: true });
    new TerraformOutput(this, 'cluster-ca-certificate', { value: this.cluster.clusterCaCertificate, sensitive: true });
    new TerraformOutput(this, 'oidc-issuer', { value: this.cluster.oidcIssuerUrl });
    new TerraformOutput(this, 'model-storage-account', { value: this.modelStorage.storageAccountName });
    new TerraformOutput(this, 'model-container', { value: this.modelStorage.containerName });
  }

  serviceAccountAnnotations(service: BundledService): Readonly<Record<string, string>> {
    // Pods must also carry the label azure.workload.identity/use: "true" for the webhook to inject the token.
    return { 'azure.workload.identity/client-id': this.serviceIdentities[service].clientId };
  }
}
