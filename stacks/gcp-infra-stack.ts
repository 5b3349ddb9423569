import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { createServiceIdentities, serviceAccountOf, type BundledService } from '../constructs/common/bundled-services';
import { GkeCluster } from '../constructs/gcp/cluster';
import { GcpModelBucket } from '../constructs/gcp/model-bucket';
import { GcpNetwork } from '../constructs/gcp/network';
import { GcpGatewayAddress } from '../constructs/gcp/gateway-address';
import { GkeNodePool } from '../constructs/gcp/node-pool';
import type { GcpWorkloadIdentity } from '../constructs/gcp/workload-identity';
import { configureBackend } from './backend';
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

/** `<env>-gcp-<region>-infra`: VPC, Cloud NAT, GKE, node pools, model bucket, service identities. */
export class GcpInfraStack extends TerraformStack implements RegionalInfra {
  readonly cluster: GkeCluster;
  readonly modelBucket: GcpModelBucket;
  readonly serviceIdentities: Readonly<Record<BundledService, GcpWorkloadIdentity>>;
  readonly kubernetes: KubernetesConnection;
  readonly gatewayAddress: GcpGatewayAddress['binding'];

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

    this.modelBucket = new GcpModelBucket(this, 'model-bucket', {
      bucketName: region.modelBucketName,
      region: region.region,
      noncurrentVersionRetentionDays: environment.noncurrentVersionRetentionDays,
      retainObjectsOnDestroy: environment.deletionProtection,
    });

    this.serviceIdentities = createServiceIdentities(region.role, this.modelBucket, (service) =>
      this.cluster.addWorkloadIdentity(`identity-${service}`, `${name}-${service}`, serviceAccountOf(service)),
    );
    for (const [service, identity] of Object.entries(this.serviceIdentities)) {
      new TerraformOutput(this, `${service}-identity`, { value: identity.email, description: `Google service account of the ${service} service account` });
    }

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
    new TerraformOutput(this, 'workload-pool', { value: this.cluster.workloadPool });
  }

  serviceAccountAnnotations(service: BundledService): Readonly<Record<string, string>> {
    return { 'iam.gke.io/gcp-service-account': this.serviceIdentities[service].email };
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
