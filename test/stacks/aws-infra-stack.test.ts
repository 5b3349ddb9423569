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
    const inlinePolicies = resourcesOfType(dev, 'aws_iam_role_policy').filter((policy) => String(policy.role).includes('identity-'));
    expect(inlinePolicies).toHaveLength(1);
    expect(inlinePolicies[0].role).toMatch(/identity-replicator/);
    const actions = policyOf(inlinePolicies[0]).Statement.flatMap((statement) => statement.Action as string[]);
    expect(actions).not.toContain('s3:PutObject');
  });

  it('outputs what the workloads stacks need', () => {
    expect(Object.keys(dev.output ?? {}).sort()).toEqual([
      'cluster-ca-certificate', 'cluster-endpoint', 'cluster-name', 'cost-analyzer-role-arn', 'failover-role-arn',
      'model-bucket-name', 'nat-public-ips', 'oidc-issuer', 'replicator-role-arn',
    ]);
  });
});
