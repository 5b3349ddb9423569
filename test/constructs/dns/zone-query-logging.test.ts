import { Route53QueryLog } from '@cdktf/provider-aws/lib/route53-query-log';
import { ZoneQueryLogging } from '../../../constructs/dns/zone-query-logging';
import { onlyResourceOfType, parse, synthConstructs } from '../../helpers/synth';

const props = { zoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'ml.example.com', accountId: '111111111111', retentionDays: 90 };

describe('dns ZoneQueryLogging', () => {
  const synthesized = synthConstructs((scope) => new ZoneQueryLogging(scope, 'query-logging', props));

  it('logs the zone\'s queries to /aws/route53/<zone>, kept for the retention period, encrypted with its own key', () => {
    expect(onlyResourceOfType(synthesized, 'aws_cloudwatch_log_group')).toEqual({
      name: '/aws/route53/ml.example.com',
      retention_in_days: 90,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.query-logging_key_\w+\.arn\}$/),
    });
    const keyPolicy = JSON.parse(String(onlyResourceOfType(synthesized, 'aws_kms_key').policy)) as { Statement: Record<string, unknown>[] };
    expect(keyPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'logs.us-east-1.amazonaws.com' } }));
  });

  it('turns query logging on for the zone, after Route53 may write', () => {
    expect(synthesized).toHaveResourceWithProperties(Route53QueryLog, {
      zone_id: 'Z0123456789ABCDEFGHIJ',
      cloudwatch_log_group_arn: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.query-logging_log-group_\w+\.arn\}$/),
    });
    const policyAddress = Object.keys(parse(synthesized).resource?.aws_cloudwatch_log_resource_policy ?? {})[0];
    expect(onlyResourceOfType(synthesized, 'aws_route53_query_log').depends_on).toEqual([`aws_cloudwatch_log_resource_policy.${policyAddress}`]);
  });

  it('lets only Route53, for hosted zones of this account, write to this log group only', () => {
    const policy = JSON.parse(String(onlyResourceOfType(synthesized, 'aws_cloudwatch_log_resource_policy').policy_document)) as { Statement: Record<string, unknown>[] };
    expect(policy.Statement).toEqual([
      {
        Sid: 'Route53QueryLogs',
        Effect: 'Allow',
        Principal: { Service: 'route53.amazonaws.com' },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.query-logging_log-group_\w+\.arn\}:\*$/),
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': 'arn:aws:route53:::hostedzone/*' } },
      },
    ]);
  });
});
