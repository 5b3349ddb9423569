import { EksCluster } from '../../../constructs/aws/cluster';
import { EksClusterAddons } from '../../../constructs/aws/cluster-addons';
import { EncryptionKey } from '../../../constructs/aws/encryption-key';
import { EksNodeGroup } from '../../../constructs/aws/node-group';
import { resourcesOfType, synthConstructs } from '../../helpers/synth';

describe('aws EksClusterAddons', () => {
  const synthesized = synthConstructs((scope) => {
    const logEncryptionKey = new EncryptionKey(scope, 'log-key', { alias: 'logs', description: 'logs', accountId: '111111111111' });
    const cluster = new EksCluster(scope, 'cluster', {
      clusterName: 'skyline-test', kubernetesVersion: '1.33', accountId: '111111111111', region: 'us-west-2', subnetIds: ['a', 'b'], serviceCidr: '10.100.0.0/16',
      apiAllowedCidrs: [], adminPrincipalArns: [], logRetentionDays: 7, logEncryptionKey, deletionProtection: false,
    });
    const pool = new EksNodeGroup(scope, 'system', {
      clusterName: cluster.clusterName, kubernetesVersion: '1.33', nodeRoleArn: cluster.nodeRole.arn, subnetIds: ['a'],
      pool: { name: 'system', role: 'system', machineType: 'm6i.large', minSize: 1, maxSize: 2, spot: false, diskSizeGiB: 50 },
    });
    new EksClusterAddons(scope, 'addons', { cluster, nodes: [pool.nodeGroup] });
  });
  const addons = Object.fromEntries(resourcesOfType(synthesized, 'aws_eks_addon').map((addon) => [addon.addon_name, addon]));

  it('installs vpc-cni, kube-proxy, coredns and the EBS CSI driver', () => {
    expect(Object.keys(addons).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'kube-proxy', 'vpc-cni']);
  });

  it('turns on network policy enforcement in the VPC CNI', () => {
    expect(JSON.parse(String(addons['vpc-cni'].configuration_values))).toEqual({ enableNetworkPolicy: 'true' });
  });

  it('runs the CNI and CSI drivers under their own IRSA roles', () => {
    expect(addons['vpc-cni'].service_account_role_arn).toMatch(/aws_iam_role\.cluster_vpc-cni-identity_role/);
    expect(addons['aws-ebs-csi-driver'].service_account_role_arn).toMatch(/aws_iam_role\.cluster_ebs-csi-identity_role/);
    const attachments = resourcesOfType(synthesized, 'aws_iam_role_policy_attachment').map((attachment) => attachment.policy_arn);
    expect(attachments).toEqual(expect.arrayContaining(['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy', 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']));
  });

  it('waits for nodes before installing add-ons that run as pods', () => {
    for (const name of ['coredns', 'aws-ebs-csi-driver']) {
      expect(addons[name].depends_on).toEqual([expect.stringMatching(/aws_eks_node_group\.system_node-group/)]);
    }
  });
});
