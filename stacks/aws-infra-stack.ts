import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { createServiceIdentities, serviceAccountOf, type BundledService } from '../constructs/common/bundled-services';
import { EksCluster } from '../constructs/aws/cluster';
import { EksClusterAddons } from '../constructs/aws/cluster-addons';
import { EncryptionKey } from '../constructs/aws/encryption-key';
import { ModelBucket } from '../constructs/aws/model-bucket';
import { AwsNetwork } from '../constructs/aws/network';
import { AwsGatewayAddress } from '../constructs/aws/gateway-address';
import { LOAD_BALANCER_CONTROLLER_STATEMENTS } from '../constructs/aws/load-balancer-controller-policy';
import { EksNodeGroup } from '../constructs/aws/node-group';
import type { WorkloadIdentity } from '../constructs/aws/workload-identity';
import { configureBackend } from './backend';
import type { AwsRegionConfig, EnvironmentConfig } from './environments/schema';
import { EXEC_API_VERSION, type KubernetesConnection, type RegionalInfra } from './regional-infra';

export interface AwsInfraStackProps {
  readonly environment: EnvironmentConfig;
  readonly regionKey: string;
  readonly region: AwsRegionConfig;
}

/** `<env>-aws-<region>-infra`: VPC, EKS, node groups, model bucket, service identities. */
export class AwsInfraStack extends TerraformStack implements RegionalInfra {
  readonly cluster: EksCluster;
  readonly modelBucket: ModelBucket;
  readonly serviceIdentities: Readonly<Record<BundledService, WorkloadIdentity>>;
  readonly kubernetes: KubernetesConnection;
  readonly gatewayAddress: AwsGatewayAddress['binding'];
  /** IRSA role of the AWS Load Balancer Controller (`kube-system/aws-load-balancer-controller`). */
  readonly loadBalancerControllerIdentity: WorkloadIdentity;
  readonly vpcId: string;

  constructor(scope: Construct, id: string, props: AwsInfraStackProps) {
    super(scope, id);
    const { environment, region } = props;
    configureBackend(this, id, environment.backend);
    new AwsProvider(this, 'aws', {
      region: region.region,
      allowedAccountIds: [region.accountId],
      defaultTags: [{ tags: { ...environment.tags, 'skyline-region': props.regionKey, 'managed-by': 'cdktf' } }],
    });

    const name = `skyline-${environment.name}`;
    const logKey = new EncryptionKey(this, 'log-key', {
      alias: `${name}-logs`,
      description: `Encrypts the CloudWatch log groups of ${name}`,
      accountId: region.accountId,
      servicePrincipals: [`logs.${region.region}.amazonaws.com`],
    });
    const network = new AwsNetwork(this, 'network', {
      name,
      vpcCidr: region.network.vpcCidr,
      zones: region.zones,
      natGatewayPerZone: region.natGatewayPerZone,
      clusterName: name,
      flowLogRetentionDays: environment.logRetentionDays,
      logEncryptionKey: logKey,
    });
    this.cluster = new EksCluster(this, 'cluster', {
      clusterName: name,
      kubernetesVersion: region.kubernetesVersion,
      accountId: region.accountId,
      region: region.region,
      subnetIds: network.privateSubnetIds,
      serviceCidr: region.network.serviceCidr,
      apiAllowedCidrs: region.apiAllowedCidrs,
      adminPrincipalArns: region.adminPrincipals,
      logRetentionDays: environment.logRetentionDays,
      logEncryptionKey: logKey,
      deletionProtection: environment.deletionProtection,
    });
    const nodeGroups = region.nodePools.map(
      (pool) =>
        new EksNodeGroup(this, `node-group-${pool.name}`, {
          clusterName: this.cluster.clusterName,
          kubernetesVersion: region.kubernetesVersion,
          nodeRoleArn: this.cluster.nodeRole.arn,
          subnetIds: network.privateSubnetIds,
          pool,
        }).nodeGroup,
    );
    new EksClusterAddons(this, 'addons', { cluster: this.cluster, nodes: nodeGroups });

    this.modelBucket = new ModelBucket(this, 'model-bucket', {
      bucketName: region.modelBucketName,
      accountId: region.accountId,
      noncurrentVersionRetentionDays: environment.noncurrentVersionRetentionDays,
      retainObjectsOnDestroy: environment.deletionProtection,
    });

    this.serviceIdentities = createServiceIdentities(region.role, this.modelBucket, (service) =>
      this.cluster.addWorkloadIdentity(`identity-${service}`, `${name}-${service}`, serviceAccountOf(service)),
    );
    for (const [service, identity] of Object.entries(this.serviceIdentities)) {
      new TerraformOutput(this, `${service}-role-arn`, { value: identity.roleArn, description: `IRSA role of the ${service} service account` });
    }

    const gatewayAddress = new AwsGatewayAddress(this, 'gateway-address', { name, zones: region.zones, publicSubnetIds: network.publicSubnetIds });
    this.gatewayAddress = gatewayAddress.binding;
    this.loadBalancerControllerIdentity = this.cluster.addWorkloadIdentity('identity-load-balancer-controller', `${name}-load-balancer-controller`, {
      namespace: 'kube-system',
      name: 'aws-load-balancer-controller',
    });
    this.loadBalancerControllerIdentity.addPolicy('manage-service-load-balancers', LOAD_BALANCER_CONTROLLER_STATEMENTS);
    this.vpcId = network.vpc.id;
    this.kubernetes = {
      host: this.cluster.endpoint,
      clusterCaCertificate: this.cluster.certificateAuthorityData,
      exec: { apiVersion: EXEC_API_VERSION, command: 'aws', args: ['eks', 'get-token', '--cluster-name', name, '--region', region.region, '--output', 'json'] },
    };

    new TerraformOutput(this, 'gateway-public-ips', { value: gatewayAddress.binding.publicIps, description: 'Static addresses of the regional gateway' });
    new TerraformOutput(this, 'cluster-name', { value: this.cluster.clusterName });
    new TerraformOutput(this, 'cluster-endpoint', { value: this.cluster.endpoint });
    new TerraformOutput(this, 'cluster-ca-certificate', { value: this.cluster.certificateAuthorityData });
    new TerraformOutput(this, 'oidc-issuer', { value: this.cluster.oidcIssuerHost });
    new TerraformOutput(this, 'model-bucket-name', { value: this.modelBucket.bucketName });
    new TerraformOutput(this, 'nat-public-ips', { value: network.natPublicIps, description: 'Egress addresses, for allow-lists on the other clouds' });
  }

  serviceAccountAnnotations(service: BundledService): Readonly<Record<string, string>> {
    return { 'eks.amazonaws.com/role-arn': this.serviceIdentities[service].roleArn };
  }
}
