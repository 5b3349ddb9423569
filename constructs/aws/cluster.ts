import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Fn, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import type { ServiceAccountRef } from '../common/bundled-services';
import { EncryptionKey } from './encryption-key';
import { WorkloadIdentity } from './workload-identity';

/** Control-plane log types shipped to CloudWatch: all of them, audit and authenticator included. */
export const EKS_CONTROL_PLANE_LOGS = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

const CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

export interface EksClusterProps {
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. "1.33". */
  readonly kubernetesVersion: string;
  readonly accountId: string;
  readonly region: string;
  /** Private subnets for the control-plane network interfaces. */
  readonly subnetIds: readonly string[];
  /** ClusterIP range (EKS would otherwise pick 10.100.0.0/16 or 172.20.0.0/16 by itself). */
  readonly serviceCidr: string;
  /** CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off. */
  readonly apiAllowedCidrs: readonly string[];
  /** IAM role or user ARNs granted cluster-admin through access entries. */
  readonly adminPrincipalArns: readonly string[];
  readonly logRetentionDays: number;
  readonly logEncryptionKey: EncryptionKey;
  /** Refuse deletion of the cluster. */
  readonly deletionProtection: boolean;
}

/**
 * An EKS control plane: private endpoint (public only for listed CIDRs),
 * secrets envelope-encrypted with a rotating KMS key, every control-plane log
 * type on, API-only access entries for admins, and an IAM OIDC provider for
 * IRSA. Node groups and add-ons are separate constructs that take this one.
 */
export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  /** The cluster name as configured (a plain string, usable in other resource names). */
  readonly name: string;
  /** The cluster name as a reference, so dependents wait for the cluster. */
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly oidcProvider: IamOpenidConnectProvider;
  /** Issuer without `https://`, the prefix of IRSA condition keys. */
  readonly oidcIssuerHost: string;
  readonly nodeRole: IamRole;
  readonly secretsKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    this.name = props.clusterName;
    this.secretsKey = new EncryptionKey(this, 'secrets-key', {
      alias: `${props.clusterName}-eks-secrets`,
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${props.clusterName}`,
      accountId: props.accountId,
    });
    const clusterRole = new IamRole(this, 'cluster-role', {
      name: `${props.clusterName}-eks-cluster`,
      assumeRolePolicy: assumableBy('eks.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: clusterRole.name,
      policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
    });
    // Created before the cluster so that EKS does not create it unencrypted and without retention.
    const logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logEncryptionKey.arn,
    });
    const publicEndpoint = props.apiAllowedCidrs.length > 0;
    this.cluster = new EksClusterResource(this, 'cluster', {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicEndpoint,
        publicAccessCidrs: publicEndpoint ? [...props.apiAllowedCidrs] : undefined,
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: props.serviceCidr, ipFamily: 'ipv4' },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.secretsKey.arn } },
      enabledClusterLogTypes: [...EKS_CONTROL_PLANE_LOGS],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      // Add-ons are managed explicitly (cluster-addons.ts), with network policy enforcement on.
      bootstrapSelfManagedAddons: false,
      // Standard support only: extended support silently multiplies the control-plane price.
      upgradePolicy: { supportType: 'STANDARD' },
      deletionProtection: props.deletionProtection,
      dependsOn: [logGroup],
    });
    this.clusterName = this.cluster.name;
    this.endpoint = this.cluster.endpoint;
    this.certificateAuthorityData = this.cluster.certificateAuthority.get(0).data;

    props.adminPrincipalArns.forEach((principalArn) => {
      const admin = new Construct(this, `admin-${principalName(principalArn)}`);
      const entry = new EksAccessEntry(admin, 'entry', { clusterName: this.cluster.name, principalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(admin, 'cluster-admin', {
        clusterName: this.cluster.name,
        principalArn,
        policyArn: CLUSTER_ADMIN_POLICY,
        accessScope: { type: 'cluster' },
        dependsOn: [entry],
      });
    });

    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: issuer,
      clientIdList: ['sts.amazonaws.com'],
    });
    // A local, so trust policies reference `${local.…}` instead of embedding a quoted function call in their JSON.
    this.oidcIssuerHost = new TerraformLocal(this, 'oidc-issuer-host', Fn.replace(issuer, 'https://', '')).asString;

    this.nodeRole = new IamRole(this, 'node-role', {
      name: `${props.clusterName}-eks-node`,
      assumeRolePolicy: assumableBy('ec2.amazonaws.com'),
    });
    // The CNI policy is deliberately absent: the VPC CNI gets it through IRSA (cluster-addons.ts), not every pod on the node.
    for (const policy of ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly']) {
      new IamRolePolicyAttachment(this, `node-${policy}`, { role: this.nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${policy}` });
    }
  }

  /** An IRSA role that only `serviceAccount` of this cluster can assume. */
  addWorkloadIdentity(id: string, roleName: string, serviceAccount: ServiceAccountRef): WorkloadIdentity {
    return new WorkloadIdentity(this, id, {
      roleName,
      oidcProviderArn: this.oidcProvider.arn,
      oidcIssuerHost: this.oidcIssuerHost,
      serviceAccount,
    });
  }
}

function assumableBy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

/** `arn:aws:iam::123:role/team/platform-admin` -> `platform-admin`: a stable, readable construct ID per principal. */
function principalName(principalArn: string): string {
  return principalArn.split('/').pop()!.replace(/[^A-Za-z0-9-]/g, '-');
}
