import { EncryptionKey } from '../../../constructs/aws/encryption-key';
import { EKS_CONTROL_PLANE_LOGS, EksCluster, type EksClusterProps } from '../../../constructs/aws/cluster';
import { onlyResourceOfType, policyOf, resourcesOfType, synthConstructs } from '../../helpers/synth';

function synthCluster(overrides: Partial<EksClusterProps> = {}): string {
  return synthConstructs((scope) => {
    const logEncryptionKey = new EncryptionKey(scope, 'log-key', { alias: 'logs', description: 'logs', accountId: '111111111111' });
    new EksCluster(scope, 'cluster', {
      clusterName: 'skyline-test',
      kubernetesVersion: '1.33',
      accountId: '111111111111',
      region: 'us-west-2',
      subnetIds: ['subnet-a', 'subnet-b'],
      serviceCidr: '10.100.0.0/16',
      apiAllowedCidrs: ['203.0.113.0/24'],
      adminPrincipalArns: ['arn:aws:iam::111111111111:role/platform-admin'],
      logRetentionDays: 30,
      logEncryptionKey,
      deletionProtection: true,
      ...overrides,
    });
  });
}

describe('aws EksCluster', () => {
  const synthesized = synthCluster();
  const cluster = onlyResourceOfType(synthesized, 'aws_eks_cluster');

  it('keeps the private endpoint on and limits the public one to the allowed CIDRs', () => {
    expect(cluster.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
  });

  it('turns the public endpoint off when no CIDR is allowed', () => {
    const privateOnly = onlyResourceOfType(synthCluster({ apiAllowedCidrs: [] }), 'aws_eks_cluster');
    expect(privateOnly.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect((privateOnly.vpc_config as Record<string, unknown>).public_access_cidrs).toBeUndefined();
  });

  it('encrypts secrets with a KMS key that rotates', () => {
    expect(cluster.encryption_config).toMatchObject({ resources: ['secrets'], provider: { key_arn: expect.stringMatching(/aws_kms_key\.cluster_secrets-key_[0-9A-F]+\.arn/) } });
    const secretsKey = resourcesOfType(synthesized, 'aws_kms_key').find((key) => String(key.description).includes('secrets'));
    expect(secretsKey).toMatchObject({ enable_key_rotation: true });
  });

  it('ships api, audit and authenticator logs (and the rest) to an encrypted log group with retention', () => {
    expect(cluster.enabled_cluster_log_types).toEqual(expect.arrayContaining(['api', 'audit', 'authenticator']));
    expect(cluster.enabled_cluster_log_types).toEqual([...EKS_CONTROL_PLANE_LOGS]);
    const logGroup = onlyResourceOfType(synthesized, 'aws_cloudwatch_log_group');
    expect(logGroup).toMatchObject({ name: '/aws/eks/skyline-test/cluster', retention_in_days: 30, kms_key_id: expect.stringMatching(/aws_kms_key\.log-key/) });
    expect(cluster.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/aws_cloudwatch_log_group\./)]));
  });

  it('authenticates through access entries only, granting admins and not the creator', () => {
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(onlyResourceOfType(synthesized, 'aws_eks_access_entry')).toMatchObject({ principal_arn: 'arn:aws:iam::111111111111:role/platform-admin', type: 'STANDARD' });
    expect(onlyResourceOfType(synthesized, 'aws_eks_access_policy_association')).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  it('has an OIDC provider for IRSA with the STS audience', () => {
    expect(onlyResourceOfType(synthesized, 'aws_iam_openid_connect_provider')).toMatchObject({
      url: expect.stringMatching(/aws_eks_cluster\.cluster_[0-9A-F]+\.identity\[0\]\.oidc\[0\]\.issuer/),
      client_id_list: ['sts.amazonaws.com'],
    });
  });

  it('sets the ClusterIP range explicitly, so it is checked against every other range', () => {
    expect(cluster.kubernetes_network_config).toEqual({ service_ipv4_cidr: '10.100.0.0/16', ip_family: 'ipv4' });
  });

  it('protects the cluster from deletion and stays on standard support', () => {
    expect(cluster).toMatchObject({ deletion_protection: true, upgrade_policy: { support_type: 'STANDARD' }, version: '1.33' });
  });

  it('gives nodes no CNI permissions (the VPC CNI has its own IRSA role)', () => {
    const nodePolicies = resourcesOfType(synthesized, 'aws_iam_role_policy_attachment')
      .filter((attachment) => String(attachment.role).includes('node-role'))
      .map((attachment) => attachment.policy_arn)
      .sort();
    expect(nodePolicies).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
    ]);
  });

  it('federates a workload identity with exactly one service account of this cluster', () => {
    const withIdentity = synthConstructs((scope) => {
      const logEncryptionKey = new EncryptionKey(scope, 'log-key', { alias: 'logs', description: 'logs', accountId: '111111111111' });
      const eks = new EksCluster(scope, 'cluster', {
        clusterName: 'skyline-test', kubernetesVersion: '1.33', accountId: '111111111111', region: 'us-west-2', subnetIds: ['a', 'b'], serviceCidr: '10.100.0.0/16',
        apiAllowedCidrs: [], adminPrincipalArns: [], logRetentionDays: 7, logEncryptionKey, deletionProtection: false,
      });
      eks.addWorkloadIdentity('replicator', 'skyline-test-replicator', { namespace: 'skyline-system', name: 'replicator' });
    });
    const role = resourcesOfType(withIdentity, 'aws_iam_role').find((candidate) => candidate.name === 'skyline-test-replicator')!;
    const [statement] = policyOf(role, 'assume_role_policy').Statement;
    expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement.Principal).toEqual({ Federated: expect.stringMatching(/aws_iam_openid_connect_provider\./) });
    const conditions = Object.entries((statement.Condition as Record<string, Record<string, string>>).StringEquals);
    expect(conditions).toEqual([
      [expect.stringMatching(/:sub$/), 'system:serviceaccount:skyline-system:replicator'],
      [expect.stringMatching(/:aud$/), 'sts.amazonaws.com'],
    ]);
    expect(resourcesOfType(withIdentity, 'aws_eks_access_entry')).toEqual([]);
  });
});
