import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { createServiceIdentities, runsInRegion, serviceAccountOf, type BundledService } from '../constructs/common/bundled-services';
import { AccessLogBucket } from '../constructs/aws/access-log-bucket';
import { AwsBudget } from '../constructs/aws/budget';
import { EksCluster } from '../constructs/aws/cluster';
import { EksClusterAddons } from '../constructs/aws/cluster-addons';
import { AwsCostExport, DATA_EXPORTS_REGION } from '../constructs/aws/cost-export';
import { EncryptionKey } from '../constructs/aws/encryption-key';
import { ModelBucket } from '../constructs/aws/model-bucket';
import { ModelEvents } from '../constructs/aws/model-events';
import { AwsNetwork } from '../constructs/aws/network';
import { AwsGatewayAddress } from '../constructs/aws/gateway-address';
import { LOAD_BALANCER_CONTROLLER_STATEMENTS } from '../constructs/aws/load-balancer-controller-policy';
import { EksNodeGroup } from '../constructs/aws/node-group';
import type { WorkloadIdentity } from '../constructs/aws/workload-identity';
import { MODEL_SERVING_SERVICE_ACCOUNT } from '../constructs/workloads/model-serving-values';
import { configureBackend } from './backend';
import { costHomeRegionKey } from './environments/cost-schema';
import type { AwsRegionConfig, EnvironmentConfig } from './environments/schema';
import { EXEC_API_VERSION, type KubernetesConnection, type RegionalInfra } from './regional-infra';

export interface AwsInfraStackProps {
  readonly environment: EnvironmentConfig;
  readonly regionKey: string;
  readonly region: AwsRegionConfig;
}

/** `<env>-aws-<region>-infra`: VPC, EKS, node groups, model bucket, service identities, billing export and budget. */
export class AwsInfraStack extends TerraformStack implements RegionalInfra {
  readonly cluster: EksCluster;
  readonly modelBucket: ModelBucket;
  /** The model bucket's events (S3 -> SQS), which the replicator consumes when this region is the primary. */
  readonly modelEvents: ModelEvents;
  readonly serviceIdentities: Readonly<Record<BundledService, WorkloadIdentity>>;
  readonly kubernetes: KubernetesConnection;
  readonly gatewayAddress: AwsGatewayAddress['binding'];
  /** IRSA role of the AWS Load Balancer Controller (`kube-system/aws-load-balancer-controller`). */
  readonly loadBalancerControllerIdentity: WorkloadIdentity;
  readonly vpcId: string;
  /** IRSA role of the model-serving pods (`ml-serving/model-serving`): read on the model bucket, for the sync sidecar. */
  readonly servingIdentity: WorkloadIdentity;
  /** The cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<id>`), which other clouds federate. */
  readonly oidcIssuerUrl: string;
  /** The account's FOCUS billing export, in the AWS region that is the account's cost home (absent in the others). */
  readonly costExport?: AwsCostExport;

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

    const accessLogs = new AccessLogBucket(this, 'access-logs', {
      bucketPrefix: `${name}-access-logs-`,
      accountId: region.accountId,
      retentionDays: environment.logRetentionDays,
      retainObjectsOnDestroy: environment.deletionProtection,
    });
    this.modelBucket = new ModelBucket(this, 'model-bucket', {
      bucketName: region.modelBucketName,
      accountId: region.accountId,
      noncurrentVersionRetentionDays: environment.noncurrentVersionRetentionDays,
      accessLogs,
      retainObjectsOnDestroy: environment.deletionProtection,
    });

    this.modelEvents = new ModelEvents(this, 'model-events', { bucket: this.modelBucket, accountId: region.accountId, queueName: `${region.modelBucketName}-events` });

    this.serviceIdentities = createServiceIdentities(region.role, this.modelBucket, (service) => {
      if (!runsInRegion(service, region.role)) {
        throw new Error(
          `${props.regionKey}: the ${service} runs in the primary region (AWS) and reaches the others through identities federated with its cluster, ` +
            'which Skyline sets up for GCP and Azure regions, not for a second AWS region (docs/adr/007-cross-cloud-replication-identity.md); make this region the primary or remove it',
        );
      }
      return this.cluster.addWorkloadIdentity(`identity-${service}`, `${name}-${service}`, serviceAccountOf(service));
    });
    // This is the primary (checked above): its replicator reads the bucket and consumes the bucket's events.
    this.modelEvents.grantConsume(this.serviceIdentities.replicator);
    for (const [service, identity] of Object.entries(this.serviceIdentities)) {
      new TerraformOutput(this, `${service}-role-arn`, { value: identity.roleArn, description: `IRSA role of the ${service} service account` });
    }
    this.servingIdentity = this.cluster.addWorkloadIdentity('identity-model-serving', `${name}-model-serving`, MODEL_SERVING_SERVICE_ACCOUNT);
    this.modelBucket.grantRead(this.servingIdentity);
    this.oidcIssuerUrl = this.cluster.cluster.identity.get(0).oidc.get(0).issuer;
    this.costExport = this.addCostExportAndBudget(props, accessLogs);

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
    new TerraformOutput(this, 'model-events-queue-url', { value: this.modelEvents.queueUrl });
    new TerraformOutput(this, 'model-serving-role-arn', { value: this.servingIdentity.roleArn, description: 'IRSA role of the model-serving pods (sync sidecar)' });
    new TerraformOutput(this, 'nat-public-ips', { value: network.natPublicIps, description: 'Egress addresses, for allow-lists on the other clouds' });
  }

  serviceAccountAnnotations(service: BundledService): Readonly<Record<string, string>> {
    return { 'eks.amazonaws.com/role-arn': this.serviceIdentities[service].roleArn };
  }

  /**
   * The FOCUS export and the monthly budget: account-level, so only in the AWS region that is the cost home. The
   * cost analyzer's role (this cluster's) reads the export.
   */
  private addCostExportAndBudget(props: AwsInfraStackProps, accessLogs: AccessLogBucket): AwsCostExport | undefined {
    const { environment, region } = props;
    if (costHomeRegionKey(environment, 'aws') !== props.regionKey) return undefined;
    const { cost } = environment;
    const name = `skyline-${environment.name}`;
    const dataExportsProvider = new AwsProvider(this, 'aws-data-exports', {
      alias: 'data-exports',
      region: DATA_EXPORTS_REGION,
      allowedAccountIds: [region.accountId],
      defaultTags: [{ tags: { ...environment.tags, 'skyline-region': props.regionKey, 'managed-by': 'cdktf' } }],
    });
    const costExport = new AwsCostExport(this, 'cost-export', {
      bucketName: cost.aws.exportBucketName,
      accountId: region.accountId,
      exportName: `${name}-focus`,
      dataExportsProvider,
      region: region.region,
      retentionDays: cost.exportRetentionDays,
      noncurrentVersionRetentionDays: environment.noncurrentVersionRetentionDays,
      accessLogs,
      retainObjectsOnDestroy: environment.deletionProtection,
    });
    costExport.grantRead(this.serviceIdentities['cost-analyzer']);
    new AwsBudget(this, 'budget', { name: `${name}-monthly`, monthlyAmountUsd: cost.aws.monthlyBudget, thresholds: cost.thresholds, recipients: cost.recipients });
    return costExport;
  }
}
