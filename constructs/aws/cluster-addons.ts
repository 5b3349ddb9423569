import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { EksCluster } from './cluster';

export interface EksClusterAddonsProps {
  readonly cluster: EksCluster;
  /** Add-ons that run as pods wait for these (the node groups). */
  readonly nodes: readonly ITerraformDependable[];
}

/**
 * The EKS-managed add-ons: the VPC CNI with network policy enforcement on
 * (default-deny NetworkPolicies mean something), kube-proxy, CoreDNS, and the
 * EBS CSI driver. The CNI and CSI drivers run under their own IRSA roles.
 */
export class EksClusterAddons extends Construct {
  constructor(scope: Construct, id: string, props: EksClusterAddonsProps) {
    super(scope, id);
    const { cluster } = props;
    const cniIdentity = cluster.addWorkloadIdentity('vpc-cni-identity', `${cluster.name}-vpc-cni`, { namespace: 'kube-system', name: 'aws-node' });
    cniIdentity.attachManagedPolicy('cni-policy', 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy');
    const ebsIdentity = cluster.addWorkloadIdentity('ebs-csi-identity', `${cluster.name}-ebs-csi`, { namespace: 'kube-system', name: 'ebs-csi-controller-sa' });
    ebsIdentity.attachManagedPolicy('ebs-csi-policy', 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy');

    const common = { clusterName: cluster.clusterName, resolveConflictsOnCreate: 'OVERWRITE', resolveConflictsOnUpdate: 'OVERWRITE' };
    new EksAddon(this, 'vpc-cni', {
      ...common,
      addonName: 'vpc-cni',
      serviceAccountRoleArn: cniIdentity.roleArn,
      configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
    });
    new EksAddon(this, 'kube-proxy', { ...common, addonName: 'kube-proxy' });
    new EksAddon(this, 'coredns', { ...common, addonName: 'coredns', dependsOn: [...props.nodes] });
    new EksAddon(this, 'ebs-csi', {
      ...common,
      addonName: 'aws-ebs-csi-driver',
      serviceAccountRoleArn: ebsIdentity.roleArn,
      dependsOn: [...props.nodes],
    });
  }
}
