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
    // The second provider is Data Exports' (a us-east-1-only API), pinned to the same account.
    expect(dev.provider?.aws).toEqual([
      expect.objectContaining({ region: 'us-west-2', allowed_account_ids: ['111111111111'] }),
      expect.objectContaining({ alias: 'data-exports', region: 'us-east-1', allowed_account_ids: ['111111111111'] }),
    ]);
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

  it('gives each bundled service its own role; the replicator reads the bucket and consumes its events (this is the primary), writing nothing', () => {
    const roles = resourcesOfType(dev, 'aws_iam_role').map((role) => role.name);
    expect(roles).toEqual(expect.arrayContaining(['skyline-dev-replicator', 'skyline-dev-failover', 'skyline-dev-cost-analyzer']));
    const policiesOf = (identity: string) => resourcesOfType(dev, 'aws_iam_role_policy').filter((policy) => String(policy.role).includes(`_identity-${identity}_role_`));
    expect(policiesOf('replicator').map((policy) => policy.name).sort()).toEqual(['consume-model-events', 'read-model-bucket']);
    const actions = policiesOf('replicator').flatMap((policy) => policyOf(policy).Statement.flatMap((statement) => statement.Action as string[]));
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(actions.filter((action) => /^(s3:(Put|Delete)|sqs:SendMessage)/.test(action))).toEqual([]);
    expect(policiesOf('failover')).toEqual([]);
    for (const service of ['failover', 'cost-analyzer']) expect(JSON.stringify(policiesOf(service))).not.toMatch(/model-bucket|model-events/);
  });

  it('gives the serving pods (ml-serving/model-serving) a role that reads the model bucket and nothing else', () => {
    const role = resourcesOfType(dev, 'aws_iam_role').find((candidate) => candidate.name === 'skyline-dev-model-serving')!;
    const [trust] = policyOf(role, 'assume_role_policy').Statement;
    expect(Object.values((trust.Condition as Record<string, Record<string, string>>).StringEquals)).toEqual(['system:serviceaccount:ml-serving:model-serving', 'sts.amazonaws.com']);
    const policies = resourcesOfType(dev, 'aws_iam_role_policy').filter((policy) => String(policy.role).includes('_identity-model-serving_role_'));
    expect(policies.map((policy) => policy.name)).toEqual(['read-model-bucket']);
  });

  it('queues the model bucket\'s events for the replicator, and outputs the queue', () => {
    expect(resourcesOfType(dev, 'aws_sqs_queue').map((queue) => queue.name).sort()).toEqual(['skyline-dev-models-usw2-events', 'skyline-dev-models-usw2-events-dlq']);
    expect(resourcesOfType(dev, 'aws_s3_bucket_notification')).toEqual([expect.objectContaining({ bucket: expect.stringMatching(/aws_s3_bucket\.model-bucket_/) })]);
    expect(dev.output?.['model-events-queue-url'].value).toMatch(/aws_sqs_queue\.model-events_queue_\w+\.url/);
  });

  it('refuses an AWS region that is not the primary: the replicator reaches other regions through federation set up for GCP and Azure only (ADR-007)', () => {
    const environment = loadEnvironment('dev');
    const region = { ...(environment.regions['aws-us-west-2'] as AwsRegionConfig), role: 'secondary' as const };
    expect(() => new AwsInfraStack(Testing.app(), 'dev-aws-us-west-2-infra', { environment, regionKey: 'aws-us-west-2', region })).toThrow(
      /aws-us-west-2: the replicator runs in the primary region \(AWS\) .* not for a second AWS region \(docs\/adr\/007-cross-cloud-replication-identity\.md\); make this region the primary or remove it/,
    );
  });

  it('outputs what the workloads stacks need', () => {
    expect(Object.keys(dev.output ?? {}).sort()).toEqual([
      'cluster-ca-certificate', 'cluster-endpoint', 'cluster-name', 'cost-analyzer-role-arn', 'failover-role-arn', 'gateway-public-ips',
      'model-bucket-name', 'model-events-queue-url', 'model-serving-role-arn', 'nat-public-ips', 'oidc-issuer', 'replicator-role-arn',
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
