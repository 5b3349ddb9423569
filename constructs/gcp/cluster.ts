import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Construct } from 'constructs';
import type { ServiceAccountRef } from '../common/bundled-services';
import { GcpEncryptionKey } from './encryption-key';
import { GcpWorkloadIdentity } from './workload-identity';

/**
 * What nodes themselves need: ship logs and metrics, and pull images. Everything
 * else belongs to workloads, through their own workload identities.
 */
export const GKE_NODE_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/artifactregistry.reader',
] as const;

/** Control-plane and node components shipped to Cloud Logging: all of them, API server included. */
export const GKE_LOGGING_COMPONENTS = ['SYSTEM_COMPONENTS', 'WORKLOADS', 'APISERVER', 'CONTROLLER_MANAGER', 'SCHEDULER'] as const;

/** IAM roles of the node service account decide what nodes may do; Google recommends this scope so that legacy scopes do not narrow them further. */
export const GKE_NODE_OAUTH_SCOPES = ['https://www.googleapis.com/auth/cloud-platform'] as const;

export interface GkeClusterProps {
  /** Cluster name, prefix of the node service account and of the secrets key ring. */
  readonly clusterName: string;
  /** Project of the cluster: names the workload identity pool and holds the IAM bindings. */
  readonly projectId: string;
  /** Numeric project number, which names the GKE service agent that uses the secrets key. */
  readonly projectNumber: string;
  /** Region: the cluster is regional, its control plane replicated across the region's zones. */
  readonly region: string;
  /** Kubernetes minor version, e.g. "1.33": the minimum; the release channel picks patches and upgrades. */
  readonly kubernetesVersion: string;
  /** GKE release channel, which upgrades the control plane and nodes. */
  readonly releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  /** VPC ID or self link. */
  readonly network: string;
  /** Subnet ID or self link; must hold the two secondary ranges below. */
  readonly subnetwork: string;
  /** Secondary range of `subnetwork` for pod addresses. */
  readonly podRangeName: string;
  /** Secondary range of `subnetwork` for ClusterIP addresses. */
  readonly serviceRangeName: string;
  /** A /28 for the control plane's private endpoint, outside every other range of the VPC. */
  readonly controlPlaneCidr: string;
  /** CIDRs allowed to reach the API endpoint; empty makes the endpoint private-only. */
  readonly apiAllowedCidrs: readonly string[];
  /** IAM members (`user:`, `group:`, `serviceAccount:`) granted `roles/container.admin`. */
  readonly adminPrincipals: readonly string[];
  /** Refuse deletion of the cluster. */
  readonly deletionProtection: boolean;
  /**
   * Labels on the cluster resource itself (billing and inventory).
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A regional, VPC-native, private GKE Standard cluster: nodes without public
 * addresses, the API endpoint limited to listed CIDRs (private-only when
 * none), Workload Identity, Dataplane V2 (eBPF, network policy enforced),
 * shielded nodes, Kubernetes secrets envelope-encrypted with a rotating Cloud
 * KMS key, no legacy ABAC or client certificates. The default node pool is
 * removed; node pools are separate constructs that run as the least-privilege
 * node service account created here.
 */
export class GkeCluster extends Construct {
  readonly cluster: ContainerCluster;
  /** The cluster name as configured (a plain string, usable in other resource names). */
  readonly name: string;
  /** The cluster name as a reference, so dependents wait for the cluster. */
  readonly clusterName: string;
  /** The cluster ID as a reference, so node pools wait for the cluster. */
  readonly clusterId: string;
  readonly endpoint: string;
  /** Base64-encoded CA certificate of the API endpoint. */
  readonly caCertificate: string;
  /** `<project>.svc.id.goog`, as a reference to the cluster so that IAM bindings wait for the pool to exist. */
  readonly workloadPool: string;
  /** Issuer of the cluster's service-account tokens: public, derived from the cluster's path (no attribute exposes it). */
  readonly oidcIssuerUrl: string;
  readonly nodeServiceAccount: ServiceAccount;
  readonly nodeServiceAccountEmail: string;
  readonly secretsKey: GcpEncryptionKey;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    this.name = props.clusterName;
    this.oidcIssuerUrl = `https://container.googleapis.com/v1/projects/${props.projectId}/locations/${props.region}/clusters/${props.clusterName}`;

    this.nodeServiceAccount = new ServiceAccount(this, 'node-service-account', {
      accountId: `${props.clusterName}-gke-nodes`,
      displayName: `Nodes of GKE cluster ${props.clusterName}`,
    });
    this.nodeServiceAccountEmail = this.nodeServiceAccount.email;
    for (const role of GKE_NODE_ROLES) {
      new ProjectIamMember(this, `node-${constructIdOf(role.replace('roles/', ''))}`, {
        project: props.projectId,
        role,
        member: this.nodeServiceAccount.member,
      });
    }

    this.secretsKey = new GcpEncryptionKey(this, 'secrets-key', {
      keyRingName: `${props.clusterName}-gke`,
      keyName: 'secrets',
      location: props.region,
      preventDestroy: props.deletionProtection,
    });
    const secretsKeyGrant = this.secretsKey.grantEncryptDecrypt(
      'gke-service-agent',
      `serviceAccount:service-${props.projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
    );

    const privateEndpoint = props.apiAllowedCidrs.length === 0;
    this.cluster = new ContainerCluster(this, 'cluster', {
      name: props.clusterName,
      location: props.region,
      minMasterVersion: props.kubernetesVersion,
      releaseChannel: { channel: props.releaseChannel },
      network: props.network,
      subnetwork: props.subnetwork,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: props.podRangeName,
        servicesSecondaryRangeName: props.serviceRangeName,
      },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: privateEndpoint,
        masterIpv4CidrBlock: props.controlPlaneCidr,
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: props.apiAllowedCidrs.map((cidrBlock) => ({ cidrBlock, displayName: `allowed ${cidrBlock}` })),
        // Otherwise any Google Cloud public address (anyone's VM or Cloud Shell) may reach the endpoint.
        gcpPublicCidrsAccessEnabled: false,
      },
      workloadIdentityConfig: { workloadPool: `${props.projectId}.svc.id.goog` },
      // Dataplane V2 enforces NetworkPolicy itself; the separate network_policy block must stay unset.
      datapathProvider: 'ADVANCED_DATAPATH',
      enableShieldedNodes: true,
      databaseEncryption: { state: 'ENCRYPTED', keyName: this.secretsKey.id },
      enableLegacyAbac: false,
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      loggingConfig: { enableComponents: [...GKE_LOGGING_COMPONENTS] },
      deletionProtection: props.deletionProtection,
      resourceLabels: { ...props.labels },
      // Pod-to-pod traffic on the same node goes through the VPC too, so flow logs and firewall rules see it.
      enableIntranodeVisibility: true,
      // GKE cannot create a cluster without a node pool: it creates a one-node-per-zone default pool, then removes it.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      // That short-lived pool runs as the node service account too, never the Compute Engine default account
      // (often disabled by org policy, and an Editor where not).
      nodeConfig: {
        serviceAccount: this.nodeServiceAccount.email,
        oauthScopes: [...GKE_NODE_OAUTH_SCOPES],
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      },
      lifecycle: {
        // node_config describes only the removed default pool; any drift in it would force a new cluster.
        ignoreChanges: ['node_config'],
      },
      // GKE checks its access to the key when it creates the cluster.
      dependsOn: [secretsKeyGrant],
    });
    this.clusterName = this.cluster.name;
    this.clusterId = this.cluster.id;
    this.endpoint = this.cluster.endpoint;
    this.caCertificate = this.cluster.masterAuth.clusterCaCertificate;
    this.workloadPool = this.cluster.workloadIdentityConfig.workloadPool;

    // GKE has no per-cluster IAM: container.admin applies to every cluster of the project.
    for (const member of props.adminPrincipals) {
      new ProjectIamMember(this, `admin-${constructIdOf(member)}`, {
        project: props.projectId,
        role: 'roles/container.admin',
        member,
      });
    }
  }

  /** A Google service account that only `serviceAccount` of this cluster can act as. */
  addWorkloadIdentity(id: string, accountId: string, serviceAccount: ServiceAccountRef): GcpWorkloadIdentity {
    return new GcpWorkloadIdentity(this, id, { accountId, workloadPool: this.workloadPool, serviceAccount });
  }
}

/** `group:platform-admins@example.com` -> `group-platform-admins-example-com`: a stable, readable construct ID per member or role. */
function constructIdOf(value: string): string {
  return value.replace(/[^A-Za-z0-9-]/g, '-');
}
