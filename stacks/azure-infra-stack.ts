import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AzureBudget } from '../constructs/azure/budget';
import { AksCluster } from '../constructs/azure/cluster';
import { AksControlPlaneLogs } from '../constructs/azure/control-plane-logs';
import { AzureCostExport } from '../constructs/azure/cost-export';
import { AzureModelEvents } from '../constructs/azure/model-events';
import { ModelStorage } from '../constructs/azure/model-storage';
import { AzureNetwork } from '../constructs/azure/network';
import { AzureGatewayAddress } from '../constructs/azure/gateway-address';
import { AksNodePool } from '../constructs/azure/node-pool';
import { AzureWorkloadIdentity } from '../constructs/azure/workload-identity';
import { createServiceIdentities, runsInRegion, serviceAccountOf, type BundledService } from '../constructs/common/bundled-services';
import { MODEL_SERVING_SERVICE_ACCOUNT } from '../constructs/workloads/model-serving-values';
import { configureBackend } from './backend';
import { costHomeRegionKey } from './environments/cost-schema';
import type { AzureRegionConfig, EnvironmentConfig } from './environments/schema';
import { EXEC_API_VERSION, type KubernetesConnection, type RegionalInfra } from './regional-infra';

export interface AzureInfraStackProps {
  readonly environment: EnvironmentConfig;
  readonly regionKey: string;
  readonly region: AzureRegionConfig;
}

/** `<env>-azure-<region>-infra`: resource group, VNet, AKS, node pools, model storage, service identities, cost export and budget. */
export class AzureInfraStack extends TerraformStack implements RegionalInfra {
  readonly cluster: AksCluster;
  readonly modelStorage: ModelStorage;
  /** The model container's events (Blob -> Event Grid -> Storage queue), for a replicator whose source is this account. */
  readonly modelEvents: AzureModelEvents;
  /**
   * One managed identity per bundled service. The replicator's is federated with the primary region's cluster by the
   * primary's workloads stack, not with this cluster, unless this region is the primary (ADR-007).
   */
  readonly serviceIdentities: Readonly<Record<BundledService, AzureWorkloadIdentity>>;
  /** Managed identity of the model-serving pods (`ml-serving/model-serving`): read on the model container, for the sync sidecar. */
  readonly servingIdentity: AzureWorkloadIdentity;
  readonly kubernetes: KubernetesConnection;
  readonly gatewayAddress: AzureGatewayAddress['binding'];
  /** The subscription's cost export, in the Azure region that is the subscription's cost home (absent in the others). */
  readonly costExport?: AzureCostExport;

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
      podCidr: region.network.podCidr,
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
    const logs = new AksControlPlaneLogs(this, 'control-plane-logs', {
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
      // One workspace per region for what is audited there: the control plane and the model storage.
      accessLogWorkspace: logs.workspace,
      geoRedundant: environment.deletionProtection,
      retainOnDestroy: environment.deletionProtection,
    });

    this.modelEvents = new AzureModelEvents(this, 'model-events', {
      ...placement,
      storage: this.modelStorage,
      topicName: `${region.storageAccountName}-events`,
      accessLogWorkspace: logs.workspace,
    });

    this.serviceIdentities = createServiceIdentities(region.role, this.modelStorage, (service) =>
      runsInRegion(service, region.role)
        ? this.cluster.addWorkloadIdentity(`identity-${service}`, `${name}-${service}`, serviceAccountOf(service))
        : new AzureWorkloadIdentity(this, `identity-${service}`, { ...placement, identityName: `${name}-${service}`, serviceAccount: serviceAccountOf(service) }),
    );
    this.servingIdentity = this.cluster.addWorkloadIdentity('identity-model-serving', `${name}-model-serving`, MODEL_SERVING_SERVICE_ACCOUNT);
    this.modelStorage.grantRead(this.servingIdentity);
    for (const [service, identity] of Object.entries(this.serviceIdentities)) {
      new TerraformOutput(this, `${service}-identity`, {
        value: identity.clientId,
        description: `Client ID of the ${service} managed identity, for its service account's azure.workload.identity/client-id annotation`,
      });
    }
    this.costExport = this.addCostExportAndBudget(props, placement, logs.workspace);

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
    new TerraformOutput(this, 'model-events-queue', { value: this.modelEvents.queueName });
    new TerraformOutput(this, 'model-serving-identity', {
      value: this.servingIdentity.clientId,
      description: 'Client ID of the model-serving managed identity (sync sidecar), for its service account annotation',
    });
  }

  serviceAccountAnnotations(service: BundledService): Readonly<Record<string, string>> {
    // Pods must also carry the label azure.workload.identity/use: "true" for the webhook to inject the token.
    return { 'azure.workload.identity/client-id': this.serviceIdentities[service].clientId };
  }

  /**
   * The cost export and the monthly budget, once per subscription: in the Azure region that is the cost home. The
   * cost analyzer's managed identity may read the export.
   */
  private addCostExportAndBudget(
    props: AzureInfraStackProps,
    placement: { readonly resourceGroupName: string; readonly location: string; readonly tags: Readonly<Record<string, string>> },
    accessLogWorkspace: AksControlPlaneLogs['workspace'],
  ): AzureCostExport | undefined {
    const { environment, region } = props;
    if (costHomeRegionKey(environment, 'azure') !== props.regionKey) return undefined;
    const { cost } = environment;
    const costExport = new AzureCostExport(this, 'cost-export', {
      ...placement,
      storageAccountName: cost.azure.exportStorageAccountName,
      subscriptionId: region.subscriptionId,
      exportName: `skyline${environment.name}${cost.azure.exportCostType.toLowerCase()}`,
      costType: cost.azure.exportCostType,
      retentionDays: cost.exportRetentionDays,
      accessLogWorkspace,
      retainOnDestroy: environment.deletionProtection,
    });
    costExport.grantRead(this.serviceIdentities['cost-analyzer']);
    new AzureBudget(this, 'budget', {
      name: `skyline-${environment.name}-monthly`,
      subscriptionId: region.subscriptionId,
      monthlyAmount: cost.azure.monthlyBudget,
      thresholds: cost.thresholds,
      recipients: cost.recipients,
    });
    return costExport;
  }
}
