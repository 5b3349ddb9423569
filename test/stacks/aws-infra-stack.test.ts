import { Testing } from 'cdktf';
import { AwsInfraStack } from '../../stacks/aws-infra-stack';
import { loadEnvironment } from '../../stacks/environments/load';
import type { AwsRegionConfig } from '../../stacks/environments/schema';
import { parse, policyOf, resourcesOfType } from '../helpers/synth';

function synthAwsStack(environmentName: string) {
  const environment = loadEnvironment(environmentName);
  const region = environment.regions['aws-us-west-2'] as AwsRegionConfig;
  const stack = new AwsInfraStack(Testing.app(), `${environmentName}-aws-us-west-2-infra`, { environment, regionKey: 'aws-us-west-2', region });
  return parse(Testing.synth(stack));
}

describe('AwsInfraStack', () => {
  const dev = synthAwsStack('dev');
  const prod = synthAwsStack('prod');

  it('keeps its state in its own key of the S3 backend, locked by S3 lockfile', () => {
    expect(dev.terraform?.backend).toEqual({
      s3: { bucket: 'skyline-terraform-state-111111111111', key: 'skyline/dev-aws-us-west-2-infra.tfstate', region: 'us-west-2', encrypt: true, use_lockfile: true },
    });
  });

  it('refuses to run against any account but the configured one', () => {
    expect(dev.provider?.aws).toEqual([expect.objectContaining({ region: 'us-west-2', allowed_account_ids: ['111111111111'] })]);
  });

  it('uses one NAT gateway in dev and one per zone in prod', () => {
    expect(resourcesOfType(dev, 'aws_nat_gateway')).toHaveLength(1);
    expect(resourcesOfType(prod, 'aws_nat_gateway')).toHaveLength(3);
  });

  it('runs system, serving and GPU node groups', () => {
    expect(resourcesOfType(prod, 'aws_eks_node_group').map((group) => group.node_group_name).sort()).toEqual(['gpu', 'serving', 'system']);
  });

  it('protects the prod cluster and bucket from deletion, not dev', () => {
    expect(resourcesOfType(prod, 'aws_eks_cluster')[0].deletion_protection).toBe(true);
    expect(resourcesOfType(prod, 'aws_s3_bucket')[0].force_destroy).toBe(false);
    expect(resourcesOfType(dev, 'aws_eks_cluster')[0].deletion_protection).toBe(false);
  });

  it('gives each bundled service its own role, and only the replicator bucket access (read: this is the primary)', () => {
    const roles = resourcesOfType(dev, 'aws_iam_role').map((role) => role.name);
    expect(roles).toEqual(expect.arrayContaining(['skyline-dev-replicator', 'skyline-dev-failover', 'skyline-dev-cost-analyzer']));
    const serviceRoles = /identity-(replicator|failover|cost-analyzer)_role/;
    const inlinePolicies = resourcesOfType(dev, 'aws_iam_role_policy').filter((policy) => serviceRoles.test(String(policy.role)));
    expect(inlinePolicies).toHaveLength(1);
    expect(inlinePolicies[0].role).toMatch(/identity-replicator/);
    const actions = policyOf(inlinePolicies[0]).Statement.flatMap((statement) => statement.Action as string[]);
    expect(actions).not.toContain('s3:PutObject');
  });

  it('outputs what the workloads stacks need', () => {
    expect(Object.keys(dev.output ?? {}).sort()).toEqual([
      'cluster-ca-certificate', 'cluster-endpoint', 'cluster-name', 'cost-analyzer-role-arn', 'failover-role-arn', 'gateway-public-ips',
      'model-bucket-name', 'nat-public-ips', 'oidc-issuer', 'replicator-role-arn',
    ]);
  });

  it('reserves one Elastic IP per zone for the gateway NLB', () => {
    const addresses = resourcesOfType(prod, 'aws_eip').filter((address) => String((address.tags as Record<string, string>).Name).includes('-gateway-'));
    expect(addresses.map((address) => (address.tags as Record<string, string>).Name)).toEqual([
      'skyline-prod-gateway-us-west-2a', 'skyline-prod-gateway-us-west-2b', 'skyline-prod-gateway-us-west-2c',
    ]);
    expect(addresses.every((address) => address.domain === 'vpc')).toBe(true);
  });

  it('gives the AWS Load Balancer Controller its own IRSA role, limited to resources it tagged', () => {
    const role = resourcesOfType(dev, 'aws_iam_role').find((candidate) => candidate.name === 'skyline-dev-load-balancer-controller')!;
    const [trust] = policyOf(role, 'assume_role_policy').Statement;
    expect(Object.values((trust.Condition as Record<string, Record<string, string>>).StringEquals)).toContain('system:serviceaccount:kube-system:aws-load-balancer-controller');
    const policy = resourcesOfType(dev, 'aws_iam_role_policy').find((candidate) => candidate.name === 'manage-service-load-balancers')!;
    const deletes = policyOf(policy).Statement.filter((statement) => (statement.Action as string[]).some((action) => /Delete(LoadBalancer|SecurityGroup)$/.test(action)));
    expect(deletes.length).toBeGreaterThan(0);
    for (const statement of deletes) expect(statement.Condition).toEqual({ Null: { 'aws:ResourceTag/service.k8s.aws/cluster': 'false' } });
    const actions = policyOf(policy).Statement.flatMap((statement) => statement.Action as string[]);
    expect(actions.filter((action) => /^(acm|wafv2|waf-regional|shield|cognito-idp):/.test(action))).toEqual([]);
  });
});
