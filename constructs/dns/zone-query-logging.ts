import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { Route53QueryLog } from '@cdktf/provider-aws/lib/route53-query-log';
import { Construct } from 'constructs';
import { EncryptionKey } from '../aws/encryption-key';

export interface ZoneQueryLoggingProps {
  /** The public hosted zone whose queries are logged. */
  readonly zoneId: string;
  /** Its domain, which names the log group `/aws/route53/<zoneName>`. */
  readonly zoneName: string;
  /** The account of the zone (and of the log group). */
  readonly accountId: string;
  /** Days query logs are kept. */
  readonly retentionDays: number;
}

/**
 * Route53 query logging for a public hosted zone: every DNS query Route53's resolvers answer (name, type, response
 * code, edge location, resolver address) goes to a CloudWatch log group encrypted with its own KMS key. Route53
 * delivers query logs to us-east-1 only, so the construct must sit in a stack whose AWS provider is in us-east-1.
 */
export class ZoneQueryLogging extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ZoneQueryLoggingProps) {
    super(scope, id);
    const key = new EncryptionKey(this, 'key', {
      alias: `route53-query-logs-${props.zoneName.replace(/\./g, '-')}`,
      description: `Encrypts the Route53 query logs of ${props.zoneName}`,
      accountId: props.accountId,
      servicePrincipals: ['logs.us-east-1.amazonaws.com'],
    });
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/route53/${props.zoneName}`,
      retentionInDays: props.retentionDays,
      kmsKeyId: key.arn,
    });
    // Log group resource policies are per account and region (at most 10): one per zone, limited to its own group.
    const policy = new CloudwatchLogResourcePolicy(this, 'route53-may-write', {
      policyName: `route53-query-logs-${props.zoneName}`,
      policyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Route53QueryLogs',
            Effect: 'Allow',
            Principal: { Service: 'route53.amazonaws.com' },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${this.logGroup.arn}:*`,
            Condition: {
              StringEquals: { 'aws:SourceAccount': props.accountId },
              ArnLike: { 'aws:SourceArn': 'arn:aws:route53:::hostedzone/*' },
            },
          },
        ],
      }),
    });
    new Route53QueryLog(this, 'query-log', {
      zoneId: props.zoneId,
      cloudwatchLogGroupArn: this.logGroup.arn,
      dependsOn: [policy],
    });
  }
}
