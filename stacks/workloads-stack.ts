import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { Fn, TerraformStack, type ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { ClusterFederation, type ClusterFederationProps } from '../constructs/aws/cluster-federation';
import { AzureClusterFederation } from '../constructs/azure/cluster-federation';
import { MODEL_CONTAINER_NAME } from '../constructs/azure/model-storage';
import { Dns01Identity } from '../constructs/aws/dns01-identity';
import type { WorkloadIdentity } from '../constructs/aws/workload-identity';
import { serviceAccountOf } from '../constructs/common/bundled-services';
import { globalApiHostname, regionalApiHostname, regionalControlHostname } from '../constructs/common/hostnames';
import { GcpClusterFederation } from '../constructs/gcp/cluster-federation';
import { AwsLoadBalancerController } from '../constructs/workloads/aws-load-balancer-controller';
import { ClusterBaseline, GKE_METADATA_SERVER_ENDPOINTS, type ClusterBaselineProps } from '../constructs/workloads/cluster-baseline';
import { billingExportSources, COST_ANALYZER_CHART_DIR, costAnalyzerValues, type CostAnalyzerProps } from '../constructs/workloads/cost-analyzer-values';
import { FAILOVER_CHART_DIR, failoverValues } from '../constructs/workloads/failover-values';
import { GpuDevicePlugin } from '../constructs/workloads/gpu-device-plugin';
import {
  DEFAULT_MODEL_MOUNT_PATH,
  MODEL_SERVING_CHART_DIR,
  modelServingValues,
  type ModelServingProps,
  type ModelSyncProps,
  type SyncConfigInput,
} from '../constructs/workloads/model-serving-values';
import { RegionalMonitoring } from '../constructs/workloads/monitoring';
import { CONTROLLER_ALERT_NAME, runbookPage } from '../constructs/observability/alerts';
import { EdgeObservability } from '../constructs/workloads/edge-observability';
import { GlobalObservability, globalObservabilitySettings } from '../constructs/workloads/global-observability';
import { NAMESPACES } from '../constructs/workloads/namespaces';
import { PinnedRelease } from '../constructs/workloads/pinned-release';
import { DNS01_SERVICE_ACCOUNT, GATEWAY_HTTPS_LISTENER, GATEWAY_NAME, RegionalGateway } from '../constructs/workloads/regional-gateway';
import { REPLICATOR_CHART_DIR, replicatorValues, type ReplicatorProps } from '../constructs/workloads/replicator-values';
import type { AwsInfraStack } from './aws-infra-stack';
import { AzureInfraStack } from './azure-infra-stack';
import { configureBackend } from './backend';
import type { AwsRegionConfig, AzureRegionConfig, EnvironmentConfig, GcpRegionConfig, RegionConfig } from './environments/schema';
import { GcpInfraStack } from './gcp-infra-stack';
import type { RegionalInfra } from './regional-infra';
import { inRoleOrder } from './region-order';

/**
 * The request counter the model server exports (the name prometheus-fastapi-instrumentator and most Python
 * servers use); prometheus-adapter serves its per-pod rate to the HPA under REQUEST_RATE_METRIC.
 */
const REQUEST_COUNTER = 'http_requests_total';
const REQUEST_RATE_METRIC = 'http_requests_per_second';


/** The region's infra stack, typed by cloud: the few cloud-specific pieces of a workloads stack read it. */
export type RegionalInfraStack =
  | { readonly cloud: 'aws'; readonly stack: AwsInfraStack }
  | { readonly cloud: 'gcp'; readonly stack: GcpInfraStack }
  | { readonly cloud: 'azure'; readonly stack: AzureInfraStack };

/** One region of the environment, as the failover controllers see it. */
export interface FleetRegion {
  readonly region: RegionConfig;
  readonly infra: RegionalInfra;
}

export interface WorkloadsStackProps {
  readonly environment: EnvironmentConfig;
  readonly regionKey: string;
  readonly region: RegionConfig;
  readonly infra: RegionalInfraStack;
  /** Every region of the environment, this one included: the failover controller probes them all. */
  readonly fleet: readonly FleetRegion[];
  /** The AWS region config that owns Route53 (the DNS-01 identity is created in its account). */
  readonly dnsAccount: AwsRegionConfig;
}

/**
 * `<env>-<region>-workloads`: what runs in one cluster. The kubernetes and helm
 * providers connect with the infra stack's outputs (cross-stack references)
 * and each cloud's exec credential plugin; nothing here creates the cluster.
 */
export class WorkloadsStack extends TerraformStack {
  readonly baseline: ClusterBaseline;
  readonly gateway: RegionalGateway;
  readonly monitoring: RegionalMonitoring;
  /** The global Prometheus, Alertmanager and Grafana: in the primary region only (ADR-005). */
  readonly globalObservability?: GlobalObservability;
  /**
   * The AWS role this region's failover controller runs as: the infra stack's IRSA role on EKS, a role federated
   * with the cluster's issuer elsewhere. The global stack grants it Route53 access to the zone it owns.
   */
  readonly failoverIdentity: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: WorkloadsStackProps) {
    super(scope, id);
    const { environment, region, infra } = props;
    const regional: RegionalInfra = infra.stack;
    configureBackend(this, id, environment.backend);
    this.addDependency(infra.stack);

    const connection = {
      host: regional.kubernetes.host,
      clusterCaCertificate: Fn.base64decode(regional.kubernetes.clusterCaCertificate),
    };
    const exec = { ...regional.kubernetes.exec, args: [...regional.kubernetes.exec.args] };
    new KubernetesProvider(this, 'kubernetes', { ...connection, exec: [exec] });
    new HelmProvider(this, 'helm', { kubernetes: { ...connection, exec } });
    new AwsProvider(this, 'aws-dns', {
      region: props.dnsAccount.region,
      allowedAccountIds: [props.dnsAccount.accountId],
      defaultTags: [{ tags: { ...environment.tags, 'skyline-region': props.regionKey, 'managed-by': 'cdktf' } }],
    });

    this.baseline = new ClusterBaseline(this, 'baseline', {
      ...clusterRanges(region),
      servingPort: environment.workloads.modelServing.containerPort,
      servingQuotaCpuCores: environment.workloads.servingQuota.cpuCores,
      servingQuotaMemoryGiB: environment.workloads.servingQuota.memoryGiB,
      servingQuotaGpus: environment.workloads.servingQuota.gpus,
      servingQuotaPods: environment.workloads.servingQuota.pods,
    });
    const platformReady: ITerraformDependable[] = [...this.baseline.dependables, ...this.addCloudAddons(infra, region.region)];

    const federation = new ClusterFederation(this, 'aws-federation', { issuer: oidcIssuer(infra) });
    const dns01 = new Dns01Identity(this, 'dns01-identity', {
      roleName: `skyline-${environment.name}-${props.regionKey}-dns01`,
      domain: environment.domain,
      serviceAccount: DNS01_SERVICE_ACCOUNT,
      federation,
    });
    this.failoverIdentity =
      infra.cloud === 'aws'
        ? infra.stack.serviceIdentities.failover
        : federation.addWorkloadIdentity('failover-identity', `skyline-${environment.name}-${props.regionKey}-failover`, serviceAccountOf('failover'));
    this.gateway = new RegionalGateway(this, 'gateway', {
      hostnames: [
        globalApiHostname(environment.domain),
        regionalApiHostname(environment.domain, region.region),
        regionalControlHostname(environment.domain, region.region),
      ],
      address: regional.gatewayAddress,
      acmeEmail: environment.workloads.acme.email,
      acmeServer: environment.workloads.acme.server,
      dns01RoleArn: dns01.roleArn,
      route53Region: props.dnsAccount.region,
      envoyReplicas: environment.workloads.gatewayReplicas,
      dependsOn: platformReady,
    });

    const serving = environment.workloads.modelServing;
    this.monitoring = new RegionalMonitoring(this, 'monitoring', {
      externalLabels: { cloud: region.cloud, region: region.region, env: environment.name },
      ...environment.workloads.prometheus,
      customMetrics: serving.targetRequestsPerSecond ? [{ seriesName: REQUEST_COUNTER, metricName: REQUEST_RATE_METRIC }] : [],
      dependsOn: platformReady,
    });

    new EdgeObservability(this, 'edge-observability', {
      federationHostname: regionalControlHostname(environment.domain, region.region),
      gatewayParentRef: { name: GATEWAY_NAME, namespace: NAMESPACES.gateway.name, sectionName: GATEWAY_HTTPS_LISTENER },
      dependsOn: [this.gateway.ready, this.monitoring.prometheus],
    });
    if (region.role === 'primary') {
      this.globalObservability = new GlobalObservability(this, 'global-observability', {
        ...globalObservabilitySettings(environment, props.fleet.map((entry) => entry.region)),
        dependsOn: [this.monitoring.prometheus],
      });
    }

    const gpuPool = region.nodePools.find((pool) => pool.role === 'gpu');
    new PinnedRelease(this, 'model-serving', {
      chart: { localPath: MODEL_SERVING_CHART_DIR },
      releaseName: 'model-serving',
      namespace: NAMESPACES.serving.name,
      values: modelServingValues({
        imageRepository: serving.image.repository,
        imageTag: serving.image.tag,
        imageDigest: serving.image.digest,
        containerPort: serving.containerPort,
        minReplicas: serving.minReplicas,
        maxReplicas: serving.maxReplicas,
        targetCpuUtilizationPercent: serving.targetCpuUtilizationPercent,
        customMetric: serving.targetRequestsPerSecond ? { name: REQUEST_RATE_METRIC, targetAverageValue: serving.targetRequestsPerSecond } : undefined,
        cpuMillicores: serving.cpuMillicores,
        memoryMiB: serving.memoryMiB,
        gpuCount: serving.gpusPerReplica,
        gpuType: serving.gpusPerReplica > 0 ? gpuPool?.gpu?.type : undefined,
        domain: environment.domain,
        regionName: region.region,
        gatewayParentRef: { name: GATEWAY_NAME, namespace: NAMESPACES.gateway.name, sectionName: GATEWAY_HTTPS_LISTENER },
        modelVolumeSizeGiB: serving.modelVolumeSizeGiB,
        // The sync sidecar reads the region's bucket as the region's serving identity.
        ...servingIdentityBinding(infra),
        modelSync: modelSyncOf(environment, region),
      }),
      // Routes need the Gateway API CRDs, the ServiceMonitor its CRD, the pods the quota's LimitRange defaults.
      dependsOn: [this.gateway.ready, this.monitoring.prometheus, ...this.baseline.dependables],
    });

    this.addFailoverController(props);
    if (region.role === 'primary') {
      const destinations = replicationDestinations(props.fleet, region);
      const federations = this.federateWithOtherClouds(props, destinations);
      this.addReplicator(props, destinations, federations);
      this.addCostAnalyzer(props, federations);
    }
  }

  /**
   * The primary's cluster federated with the GCP and Azure regions it writes to: one Workload Identity Federation
   * pool and one Azure federation, which the replicator and the cost analyzer (both running here) share. They live in
   * this stack so the infra stacks stay independent (ADR-007).
   */
  private federateWithOtherClouds(props: WorkloadsStackProps, destinations: ReplicationDestinations): OtherCloudFederations {
    const { environment, infra } = props;
    // The AWS infra stack refuses a primary elsewhere already; this narrows the types.
    if (infra.cloud !== 'aws') throw new Error(`${props.regionKey}: the primary region must be on AWS, whose cluster federates with the other clouds (docs/adr/007-cross-cloud-replication-identity.md)`);
    const issuerUrl = infra.stack.oidcIssuerUrl;
    const clusterName = `skyline-${environment.name}-${props.regionKey}`;
    const federations: OtherCloudFederations = {};
    const gcp = onlyOne(destinations.gcp, 'GCP');
    if (gcp) {
      new GoogleProvider(this, 'google', { project: gcp.region.projectId, region: gcp.region.region });
      const federation = new GcpClusterFederation(this, 'gcp-federation', {
        poolId: clusterName,
        issuerUrl,
        serviceAccounts: [serviceAccountOf('replicator'), serviceAccountOf('cost-analyzer')],
      });
      federations.gcp = { federation, destination: gcp };
    }
    const azure = onlyOne(destinations.azure, 'Azure');
    if (azure) {
      new AzurermProvider(this, 'azurerm', { features: [{}], subscriptionId: azure.region.subscriptionId, tenantId: azure.region.tenantId, resourceProviderRegistrations: 'none' });
      federations.azure = { federation: new AzureClusterFederation(this, 'azure-federation', { issuerUrl, clusterName }), destination: azure };
    }
    return federations;
  }

  /**
   * The model replicator, in the primary region only: it reads this region's bucket and consumes its events as its
   * IRSA role, and writes every other region's bucket as that region's replicator identity, federated here with this
   * cluster's issuer (ADR-007).
   */
  private addReplicator(props: WorkloadsStackProps, destinations: ReplicationDestinations, federations: OtherCloudFederations): void {
    const { environment, region, infra } = props;
    // The AWS infra stack refuses a primary elsewhere already; this narrows the types.
    if (infra.cloud !== 'aws' || region.cloud !== 'aws') throw new Error(`${props.regionKey}: the replicator's primary region must be on AWS (docs/adr/007-cross-cloud-replication-identity.md)`);
    const replicator = serviceAccountOf('replicator');
    const trusts: ITerraformDependable[] = [];
    let gcpFederation: ReplicatorProps['gcpFederation'];
    let azureFederation: ReplicatorProps['azureFederation'];

    if (federations.gcp) {
      const { federation, destination } = federations.gcp;
      const identity = destination.stack.serviceIdentities.replicator;
      trusts.push(federation.allowImpersonation(identity, replicator));
      gcpFederation = { audience: federation.audience, serviceAccountEmail: identity.email };
    }
    if (federations.azure) {
      const { federation, destination } = federations.azure;
      const identity = destination.stack.serviceIdentities.replicator;
      trusts.push(federation.allow(identity, replicator));
      azureFederation = { clientId: identity.clientId, tenantId: destination.region.tenantId };
    }

    const images = environment.workloads.serviceImages;
    new PinnedRelease(this, 'replicator', {
      chart: { localPath: REPLICATOR_CHART_DIR },
      releaseName: 'replicator',
      namespace: NAMESPACES.system.name,
      values: replicatorValues({
        imageRepository: `${images.registry}/skyline-replicator`,
        imageTag: images.tag,
        config: {
          // The source first: routes default to the first store -> every other (DESIGN § 8).
          stores: [region, ...destinations.all].map((store) => ({ name: store.region, ...modelStoreOf(store) })),
          events: [
            {
              kind: 'sqs',
              store: region.region,
              // The documented form of an SQS queue URL, from literals, so the replicator's schema checks it at synth.
              queueUrl: `https://sqs.${region.region}.amazonaws.com/${region.accountId}/${infra.stack.modelEvents.queueName}`,
              region: region.region,
            },
          ],
          reconcile: { intervalSeconds: environment.replication.reconcileIntervalSeconds },
        },
        serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': infra.stack.serviceIdentities.replicator.roleArn },
        gcpFederation,
        azureFederation,
      }),
      // The ServiceMonitor needs its CRD; the pod's first copies need the other clouds to trust it.
      dependsOn: [this.monitoring.prometheus, ...this.baseline.dependables, ...trusts],
    });
  }

  /**
   * The cost analyzer, in the primary region only: it reads each cloud's billing export where it lands, S3 as its
   * IRSA role, BigQuery and Azure Blob as its Google and Azure identities, which the cost-home infra stacks granted
   * read and which trust this cluster through the federations it shares with the replicator (ADR-007).
   */
  private addCostAnalyzer(props: WorkloadsStackProps, federations: OtherCloudFederations): void {
    const { environment, infra } = props;
    // The cost config refuses a primary elsewhere already; this narrows the types.
    if (infra.cloud !== 'aws') throw new Error(`${props.regionKey}: the cost analyzer's primary region must be on AWS (docs/configuration.md, "Cost")`);
    const analyzer = serviceAccountOf('cost-analyzer');
    const trusts: ITerraformDependable[] = [];
    let gcpWorkloadIdentity: CostAnalyzerProps['gcpWorkloadIdentity'];
    let azureWorkloadIdentity: CostAnalyzerProps['azureWorkloadIdentity'];

    const gcp = props.fleet.find((entry): entry is { region: GcpRegionConfig; infra: GcpInfraStack } => entry.infra instanceof GcpInfraStack && entry.infra.billingExport !== undefined);
    if (gcp) {
      if (!federations.gcp) throw new Error(`${gcp.region.region}: the cost analyzer reaches BigQuery through this cluster's federation with that cloud, which exists for the regions the replicator writes to, and there is none`);
      const { federation } = federations.gcp;
      const identity = gcp.infra.serviceIdentities['cost-analyzer'];
      trusts.push(federation.allowImpersonation(identity, analyzer));
      gcpWorkloadIdentity = { audience: federation.audience, serviceAccountEmail: identity.email };
    }
    const azure = props.fleet.find((entry): entry is { region: AzureRegionConfig; infra: AzureInfraStack } => entry.infra instanceof AzureInfraStack && entry.infra.costExport !== undefined);
    if (azure) {
      if (!federations.azure) throw new Error(`${azure.region.region}: the cost analyzer reaches Azure Blob through this cluster's federation with that cloud, which exists for the regions the replicator writes to, and there is none`);
      const identity = azure.infra.serviceIdentities['cost-analyzer'];
      trusts.push(federations.azure.federation.allow(identity, analyzer));
      azureWorkloadIdentity = { clientId: identity.clientId, tenantId: azure.region.tenantId };
    }

    const sources = billingExportSources({
      aws: infra.stack.costExport?.exportLocation,
      gcp: gcp?.infra.billingExport?.exportLocation,
      azure: azure?.infra.costExport?.exportLocation,
    });
    const { cost } = environment;
    const images = environment.workloads.serviceImages;
    new PinnedRelease(this, 'cost-analyzer', {
      chart: { localPath: COST_ANALYZER_CHART_DIR },
      releaseName: 'cost-analyzer',
      namespace: NAMESPACES.system.name,
      values: costAnalyzerValues({
        imageRepository: `${images.registry}/skyline-cost-analyzer`,
        imageTag: images.tag,
        config: {
          sources,
          // The budgets of the clouds whose export it reads: what its budget-burn figures compare against.
          budgets: sources.map(({ provider }) => ({ provider, amount: cost[provider].monthlyBudget, currency: cost[provider].currency })),
        },
        serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': infra.stack.serviceIdentities['cost-analyzer'].roleArn },
        gcpWorkloadIdentity,
        azureWorkloadIdentity,
      }),
      // The ServiceMonitor needs its CRD; the first reads need the other clouds to trust the pod.
      dependsOn: [this.monitoring.prometheus, ...this.baseline.dependables, ...trusts],
    });
  }

  /** The failover controller of this region: it probes every region and moves Route53 weights by quorum. */
  private addFailoverController(props: WorkloadsStackProps): void {
    const { environment, region, infra } = props;
    const { domain } = environment;
    // Role order: each region spills to the next, as the global stack's spill records do.
    const fleet = inRoleOrder(props.fleet);
    const images = environment.workloads.serviceImages;
    new PinnedRelease(this, 'failover', {
      chart: { localPath: FAILOVER_CHART_DIR },
      releaseName: 'failover',
      namespace: NAMESPACES.system.name,
      values: failoverValues({
        imageRepository: `${images.registry}/skyline-failover`,
        imageTag: images.tag,
        config: {
          instance: { name: 'failover', region: region.region },
          env: environment.name,
          domain,
          regions: fleet.map((entry) => ({
            name: entry.region.region,
            cloud: entry.region.cloud,
            // The address Route53's health checks probe too.
            address: entry.infra.gatewayAddress.publicIps[0],
            hostname: regionalApiHostname(domain, entry.region.region),
          })),
          peers: fleet
            .filter((entry) => entry.region.region !== region.region)
            .map((entry) => ({ region: entry.region.region, url: `https://${regionalControlHostname(domain, entry.region.region)}` })),
          // Absent, the controller finds the zone by name: the global stack creates it after this stack.
          dns: { kind: 'route53', hostedZoneId: environment.dns.hostedZoneId },
          detection: { intervalSeconds: environment.dns.healthCheckIntervalSeconds, failureThreshold: 3, quorum: Math.floor(fleet.length / 2) + 1 },
          // The global Alertmanager is reachable in the primary cluster only; elsewhere SkylineFailoverHappened, from
          // the federated transition counts, raises the alert (ADR-005).
          alerts: this.globalObservability
            ? { kind: 'alertmanager', url: this.globalObservability.alertmanagerUrl, runbookUrl: `${environment.observability.runbookBaseUrl}${runbookPage(CONTROLLER_ALERT_NAME)}` }
            : { kind: 'none' },
        },
        ...(infra.cloud === 'aws'
          ? { serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': this.failoverIdentity.roleArn } }
          : { awsRoleArn: this.failoverIdentity.roleArn }),
        observationsRoute: {
          hostname: regionalControlHostname(domain, region.region),
          gatewayParentRef: { name: GATEWAY_NAME, namespace: NAMESPACES.gateway.name, sectionName: GATEWAY_HTTPS_LISTENER },
        },
      }),
      dependsOn: [this.gateway.ready, this.monitoring.prometheus, ...this.baseline.dependables],
    });
  }

  /** What one cloud needs before the gateway and GPU workloads can run. */
  private addCloudAddons(infra: RegionalInfraStack, providerRegion: string): ITerraformDependable[] {
    switch (infra.cloud) {
      case 'aws': {
        // EKS has had no default StorageClass since 1.30: Prometheus volumes need one. Encrypted gp3.
        const storageClass = new StorageClassV1(this, 'default-storage-class', {
          metadata: { name: 'gp3-encrypted', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
          storageProvisioner: 'ebs.csi.aws.com',
          volumeBindingMode: 'WaitForFirstConsumer',
          allowVolumeExpansion: true,
          reclaimPolicy: 'Delete',
          parameters: { type: 'gp3', encrypted: 'true' },
        });
        const controller = new AwsLoadBalancerController(this, 'load-balancer-controller', {
          clusterName: infra.stack.cluster.name,
          region: providerRegion,
          vpcId: infra.stack.vpcId,
          roleArn: infra.stack.loadBalancerControllerIdentity.roleArn,
        });
        new GpuDevicePlugin(this, 'gpu-device-plugin');
        return [storageClass, controller.release];
      }
      case 'azure':
        new GpuDevicePlugin(this, 'gpu-device-plugin');
        return [];
      case 'gcp':
        // GKE installs the NVIDIA driver (node pool setting) and runs its own device plugin.
        return [];
    }
  }
}

/** Address ranges the baseline's NetworkPolicies tell apart from the internet. */
function clusterRanges(region: RegionConfig): Pick<ClusterBaselineProps, 'podCidrs' | 'serviceCidrs' | 'nodeCidrs' | 'credentialEndpoints'> {
  switch (region.cloud) {
    case 'aws':
      // The VPC CNI gives pods VPC addresses: pods and nodes share the VPC range.
      return { podCidrs: [region.network.vpcCidr], serviceCidrs: [region.network.serviceCidr], nodeCidrs: [region.network.vpcCidr] };
    case 'gcp':
      return {
        podCidrs: [region.network.podCidr],
        serviceCidrs: [region.network.serviceCidr],
        nodeCidrs: [region.network.subnetCidr],
        credentialEndpoints: GKE_METADATA_SERVER_ENDPOINTS,
      };
    case 'azure':
      return { podCidrs: [region.network.podCidr], serviceCidrs: [region.network.serviceCidr], nodeCidrs: [region.network.nodeSubnetCidr] };
  }
}

/** The region's bucket as the replicator's config names it: literal names from the config, so its schema checks them at synth. */
function modelStoreOf(region: RegionConfig): SyncConfigInput['store'] {
  switch (region.cloud) {
    case 'aws':
      return { kind: 's3', bucket: region.modelBucketName, region: region.region };
    case 'gcp':
      return { kind: 'gcs', bucket: region.modelBucketName };
    case 'azure':
      return { kind: 'azure-blob', accountUrl: `https://${region.storageAccountName}.blob.core.windows.net`, container: MODEL_CONTAINER_NAME };
  }
}

/** The serving pods' sync sidecar: the newest complete version of the environment's served model, from the region's bucket. */
function modelSyncOf(environment: EnvironmentConfig, region: RegionConfig): ModelSyncProps {
  const { replication, workloads } = environment;
  const reload = replication.reloadSignal;
  return {
    imageRepository: `${workloads.serviceImages.registry}/skyline-replicator`,
    imageTag: workloads.serviceImages.tag,
    config: {
      store: modelStoreOf(region),
      model: replication.servedModel,
      pollIntervalSeconds: replication.syncIntervalSeconds,
      signal:
        reload.kind === 'file'
          ? { kind: 'file', path: `${DEFAULT_MODEL_MOUNT_PATH}/${reload.fileName}` }
          : { kind: 'http', url: `http://127.0.0.1:${workloads.modelServing.containerPort}${reload.path}` },
    },
  };
}

/** What binds the serving pods' service account (and, on AKS, the pods) to the region's serving identity. */
function servingIdentityBinding(infra: RegionalInfraStack): Pick<ModelServingProps, 'serviceAccountAnnotations' | 'podLabels'> {
  switch (infra.cloud) {
    case 'aws':
      return { serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': infra.stack.servingIdentity.roleArn } };
    case 'gcp':
      return { serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': infra.stack.servingIdentity.email } };
    case 'azure':
      // The AKS webhook projects the Entra token only into pods with this label.
      return { serviceAccountAnnotations: { 'azure.workload.identity/client-id': infra.stack.servingIdentity.clientId }, podLabels: { 'azure.workload.identity/use': 'true' } };
  }
}

/** The federations of the primary's cluster with the other clouds (ADR-007), each with the region it trusts. */
interface OtherCloudFederations {
  gcp?: { readonly federation: GcpClusterFederation; readonly destination: ReplicationDestination<GcpRegionConfig, GcpInfraStack> };
  azure?: { readonly federation: AzureClusterFederation; readonly destination: ReplicationDestination<AzureRegionConfig, AzureInfraStack> };
}

interface ReplicationDestination<Region extends RegionConfig, Stack> {
  readonly region: Region;
  readonly stack: Stack;
}

type ReplicationDestinations = ReturnType<typeof replicationDestinations>;

/** Every region but the primary, in role order, with its infra stack typed by cloud. */
function replicationDestinations(fleet: readonly FleetRegion[], primary: RegionConfig) {
  const gcp: ReplicationDestination<GcpRegionConfig, GcpInfraStack>[] = [];
  const azure: ReplicationDestination<AzureRegionConfig, AzureInfraStack>[] = [];
  const all: RegionConfig[] = [];
  for (const { region, infra } of inRoleOrder(fleet)) {
    if (region.role === primary.role) continue;
    all.push(region);
    if (region.cloud === 'gcp' && infra instanceof GcpInfraStack) gcp.push({ region, stack: infra });
    else if (region.cloud === 'azure' && infra instanceof AzureInfraStack) azure.push({ region, stack: infra });
    else throw new Error(`${region.region}: the replicator writes to GCP and Azure regions from the AWS primary; a second ${region.cloud} region is not supported (ADR-007)`);
  }
  return { gcp, azure, all };
}

/** The one destination on a cloud: the primary's workloads stack has one provider per destination cloud. */
function onlyOne<T>(destinations: readonly T[], cloud: string): T | undefined {
  if (destinations.length > 1) throw new Error(`${destinations.length} ${cloud} regions: the replicator federates with one region per cloud (one provider each); ADR-007`);
  return destinations[0];
}

/** The cluster's OIDC issuer, as the roles federated with it need it. */
function oidcIssuer(infra: RegionalInfraStack): ClusterFederationProps['issuer'] {
  switch (infra.cloud) {
    case 'aws':
      return { providerArn: infra.stack.cluster.oidcProvider.arn, host: infra.stack.cluster.oidcIssuerHost };
    case 'gcp':
    case 'azure':
      return { url: infra.stack.cluster.oidcIssuerUrl };
  }
}
