import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { createServiceIdentities, runsInRegion, serviceAccountOf, type BundledService } from '../constructs/common/bundled-services';
import { GcpAccessLogBucket } from '../constructs/gcp/access-log-bucket';
import { BillingExportDataset } from '../constructs/gcp/billing-export-dataset';
import { GcpBudget } from '../constructs/gcp/budget';
import { GkeCluster } from '../constructs/gcp/cluster';
import { GcpModelBucket } from '../constructs/gcp/model-bucket';
import { GcpModelEvents } from '../constructs/gcp/model-events';
import { GcpNetwork } from '../constructs/gcp/network';
import { GcpGatewayAddress } from '../constructs/gcp/gateway-address';
import { GkeNodePool } from '../constructs/gcp/node-pool';
import { GcpWorkloadIdentity } from '../constructs/gcp/workload-identity';
import { MODEL_SERVING_SERVICE_ACCOUNT } from '../constructs/workloads/model-serving-values';
import { configureBackend } from './backend';
import { costHomeRegionKey } from './environments/cost-schema';
import type { EnvironmentConfig, GcpRegionConfig } from './environments/schema';
import { EXEC_API_VERSION, type KubernetesConnection, type RegionalInfra } from './regional-infra';

export interface GcpInfraStackProps {
  /** The validated environment config. */
  readonly environment: EnvironmentConfig;
  /** Key of the region in `environment.regions`, e.g. `gcp-europe-west1`; labels every resource. */
  readonly regionKey: string;
  /** `environment.regions[regionKey]`. */
  readonly region: GcpRegionConfig;
}

/** `<env>-gcp-<region>-infra`: VPC, Cloud NAT, GKE, node pools, model bucket, service identities, billing export dataset and budget. */
export class GcpInfraStack extends TerraformStack implements RegionalInfra {
  readonly cluster: GkeCluster;
  readonly modelBucket: GcpModelBucket;
  /** The model bucket's events (GCS -> Pub/Sub), for a replicator whose source is this bucket. */
  readonly modelEvents: GcpModelEvents;
  /**
   * One Google service account per bundled service. The replicator's is federated with the primary region's cluster
   * by the primary's workloads stack, not with this cluster, unless this region is the primary (ADR-007).
   */
  readonly serviceIdentities: Readonly<Record<BundledService, GcpWorkloadIdentity>>;
  readonly kubernetes: KubernetesConnection;
  readonly gatewayAddress: GcpGatewayAddress['binding'];
  /** Google service account of the model-serving pods (`ml-serving/model-serving`): read on the model bucket, for the sync sidecar. */
  readonly servingIdentity: GcpWorkloadIdentity;
  /** The dataset of the billing export, in the GCP region that is the project's cost home (absent in the others). */
  readonly billingExport?: BillingExportDataset;

  constructor(scope: Construct, id: string, props: GcpInfraStackProps) {
    super(scope, id);
    const { environment, region } = props;
    configureBackend(this, id, environment.backend);
    const provider = new GoogleProvider(this, 'google', { project: region.projectId, region: region.region });
    // Not the defaultLabels prop: cdktf snake-cases map keys in provider blocks (managed-by -> managed_by),
    // which would make these labels differ from the tags on the other clouds. Overrides are written verbatim.
    const labels = gcpLabels({ ...environment.tags, 'skyline-region': props.regionKey, 'managed-by': 'cdktf' });
    provider.addOverride('default_labels', labels);

    const name = `skyline-${environment.name}`;
    const network = new GcpNetwork(this, 'network', {
      name,
      region: region.region,
      subnetCidr: region.network.subnetCidr,
      podCidr: region.network.podCidr,
      serviceCidr: region.network.serviceCidr,
    });
    this.cluster = new GkeCluster(this, 'cluster', {
      clusterName: name,
      projectId: region.projectId,
      projectNumber: region.projectNumber,
      region: region.region,
      kubernetesVersion: region.kubernetesVersion,
      releaseChannel: region.releaseChannel,
      network: network.networkId,
      subnetwork: network.subnetworkId,
      podRangeName: network.podRangeName,
      serviceRangeName: network.serviceRangeName,
      controlPlaneCidr: region.network.controlPlaneCidr,
      apiAllowedCidrs: region.apiAllowedCidrs,
      adminPrincipals: region.adminPrincipals,
      deletionProtection: environment.deletionProtection,
      labels,
    });
    for (const pool of region.nodePools) {
      new GkeNodePool(this, `node-pool-${pool.name}`, {
        clusterId: this.cluster.clusterId,
        region: region.region,
        zones: region.zones,
        serviceAccountEmail: this.cluster.nodeServiceAccountEmail,
        pool,
      });
    }

    const accessLogs = new GcpAccessLogBucket(this, 'access-logs', {
      bucketName: `${region.modelBucketName}-logs`,
      region: region.region,
      retentionDays: environment.logRetentionDays,
      retainObjectsOnDestroy: environment.deletionProtection,
    });
    this.modelBucket = new GcpModelBucket(this, 'model-bucket', {
      bucketName: region.modelBucketName,
      region: region.region,
      noncurrentVersionRetentionDays: environment.noncurrentVersionRetentionDays,
      accessLogs,
      retainObjectsOnDestroy: environment.deletionProtection,
    });

    this.modelEvents = new GcpModelEvents(this, 'model-events', {
      bucket: this.modelBucket,
      region: region.region,
      projectNumber: region.projectNumber,
      topicName: `${region.modelBucketName}-events`,
      encryptionKey: this.modelBucket.encryptionKey,
    });

    this.serviceIdentities = createServiceIdentities(region.role, this.modelBucket, (service) =>
      runsInRegion(service, region.role)
        ? this.cluster.addWorkloadIdentity(`identity-${service}`, `${name}-${service}`, serviceAccountOf(service))
        : new GcpWorkloadIdentity(this, `identity-${service}`, { accountId: `${name}-${service}`, serviceAccount: serviceAccountOf(service) }),
    );
    this.servingIdentity = this.cluster.addWorkloadIdentity('identity-model-serving', `${name}-model-serving`, MODEL_SERVING_SERVICE_ACCOUNT);
    this.modelBucket.grantRead(this.servingIdentity);
    for (const [service, identity] of Object.entries(this.serviceIdentities)) {
      new TerraformOutput(this, `${service}-identity`, { value: identity.email, description: `Google service account of the ${service} service account` });
    }
    this.billingExport = this.addBillingExportAndBudget(props);

    const gatewayAddress = new GcpGatewayAddress(this, 'gateway-address', { name, region: region.region });
    this.gatewayAddress = gatewayAddress.binding;
    this.kubernetes = {
      // GKE reports a bare IP as its endpoint.
      host: `https://${this.cluster.endpoint}`,
      clusterCaCertificate: this.cluster.caCertificate,
      exec: { apiVersion: EXEC_API_VERSION, command: 'gke-gcloud-auth-plugin', args: [] },
    };

    new TerraformOutput(this, 'gateway-public-ips', { value: gatewayAddress.binding.publicIps, description: 'Static address of the regional gateway' });
    new TerraformOutput(this, 'cluster-name', { value: this.cluster.clusterName });
    new TerraformOutput(this, 'cluster-endpoint', { value: this.cluster.endpoint });
    // The CA certificate is public data (clients verify the endpoint with it), so it is not marked sensitive.
    new TerraformOutput(this, 'cluster-ca-certificate', { value: this.cluster.caCertificate });
    new TerraformOutput(this, 'model-bucket-name', { value: this.modelBucket.bucketName });
    new TerraformOutput(this, 'model-events-subscription', { value: this.modelEvents.subscriptionId });
    new TerraformOutput(this, 'model-serving-identity', { value: this.servingIdentity.email, description: 'Google service account of the model-serving pods (sync sidecar)' });
    new TerraformOutput(this, 'workload-pool', { value: this.cluster.workloadPool });
  }

  serviceAccountAnnotations(service: BundledService): Readonly<Record<string, string>> {
    return { 'iam.gke.io/gcp-service-account': this.serviceIdentities[service].email };
  }

  /**
   * The billing export's dataset and the monthly budget, once per project: in the GCP region that is the cost home.
   * The cost analyzer's Google service account may query the export.
   */
  private addBillingExportAndBudget(props: GcpInfraStackProps): BillingExportDataset | undefined {
    const { environment, region } = props;
    if (costHomeRegionKey(environment, 'gcp') !== props.regionKey) return undefined;
    const { cost } = environment;
    const billingExport = new BillingExportDataset(this, 'billing-export', {
      datasetId: `skyline_${environment.name}_billing`,
      location: cost.gcp.exportLocation,
      projectId: region.projectId,
      projectNumber: region.projectNumber,
      billingAccountId: cost.gcp.billingAccountId,
      retainOnDestroy: environment.deletionProtection,
    });
    billingExport.grantRead(this.serviceIdentities['cost-analyzer']);
    new GcpBudget(this, 'budget', {
      displayName: `skyline-${environment.name}-monthly`,
      billingAccountId: cost.gcp.billingAccountId,
      projectId: region.projectId,
      projectNumber: region.projectNumber,
      monthlyAmount: cost.gcp.monthlyBudget,
      currency: cost.gcp.currency,
      thresholds: cost.thresholds,
      recipients: cost.recipients,
    });
    return billingExport;
  }
}

/**
 * GCP labels allow only lowercase letters, digits, `_` and `-`, at most 63
 * characters, keys starting with a letter. Tags written for AWS (`CostCenter`)
 * are folded into that syntax (`costcenter`; a key such as `2fa` becomes `x2fa`)
 * rather than rejected by the API at apply time.
 */
function gcpLabels(tags: Readonly<Record<string, string>>): Record<string, string> {
  const sanitize = (text: string) => text.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 63);
  return Object.fromEntries(
    Object.entries(tags).map(([key, value]) => {
      const labelKey = sanitize(key);
      return [/^[a-z]/.test(labelKey) ? labelKey : `x${labelKey}`.slice(0, 63), sanitize(value)];
    }),
  );
}
