import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { Fn, TerraformStack, type ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { ClusterFederation, type ClusterFederationProps } from '../constructs/aws/cluster-federation';
import { Dns01Identity } from '../constructs/aws/dns01-identity';
import type { WorkloadIdentity } from '../constructs/aws/workload-identity';
import { serviceAccountOf } from '../constructs/common/bundled-services';
import { globalApiHostname, regionalApiHostname, regionalControlHostname } from '../constructs/common/hostnames';
import { AwsLoadBalancerController } from '../constructs/workloads/aws-load-balancer-controller';
import { ClusterBaseline, GKE_METADATA_SERVER_ENDPOINTS, type ClusterBaselineProps } from '../constructs/workloads/cluster-baseline';
import { FAILOVER_CHART_DIR, failoverValues } from '../constructs/workloads/failover-values';
import { GpuDevicePlugin } from '../constructs/workloads/gpu-device-plugin';
import { MODEL_SERVING_CHART_DIR, modelServingValues } from '../constructs/workloads/model-serving-values';
import { RegionalMonitoring } from '../constructs/workloads/monitoring';
import { NAMESPACES } from '../constructs/workloads/namespaces';
import { PinnedRelease } from '../constructs/workloads/pinned-release';
import { DNS01_SERVICE_ACCOUNT, GATEWAY_HTTPS_LISTENER, GATEWAY_NAME, RegionalGateway } from '../constructs/workloads/regional-gateway';
import type { AwsInfraStack } from './aws-infra-stack';
import type { AzureInfraStack } from './azure-infra-stack';
import { configureBackend } from './backend';
import type { AwsRegionConfig, EnvironmentConfig, RegionConfig } from './environments/schema';
import type { GcpInfraStack } from './gcp-infra-stack';
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
      }),
      // Routes need the Gateway API CRDs, the ServiceMonitor its CRD, the pods the quota's LimitRange defaults.
      dependsOn: [this.gateway.ready, this.monitoring.prometheus, ...this.baseline.dependables],
    });

    this.addFailoverController(props);
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
          // The global Alertmanager comes with the observability stack; until then transitions are logged and counted.
          alerts: { kind: 'none' },
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
