import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';

export interface FailoverDnsAccessProps {
  /** Name of the failover controller's AWS role (created with its cluster's federation). */
  readonly roleName: string;
  readonly zoneArn: string;
  /** The `<region>.api.<domain>` names whose weights the controllers move: nothing else may change. */
  readonly hostnames: readonly string[];
}

/**
 * What a failover controller may do in Route53: find the zone, read its
 * records and changes, and UPSERT only the regional A records. Attached here,
 * where the zone is, to a role created earlier with the cluster it runs in.
 */
export class FailoverDnsAccess extends Construct {
  constructor(scope: Construct, id: string, props: FailoverDnsAccessProps) {
    super(scope, id);
    new IamRolePolicy(this, 'policy', {
      role: props.roleName,
      name: 'failover-route53-weights',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'FindZone', Effect: 'Allow', Action: ['route53:ListHostedZonesByName'], Resource: ['*'] },
          { Sid: 'WaitForChanges', Effect: 'Allow', Action: ['route53:GetChange'], Resource: ['arn:aws:route53:::change/*'] },
          { Sid: 'ReadRecords', Effect: 'Allow', Action: ['route53:ListResourceRecordSets', 'route53:GetHostedZone'], Resource: [props.zoneArn] },
          {
            Sid: 'MoveRegionalWeightsOnly',
            Effect: 'Allow',
            Action: ['route53:ChangeResourceRecordSets'],
            Resource: [props.zoneArn],
            Condition: {
              'ForAllValues:StringEquals': {
                'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
                'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
                'route53:ChangeResourceRecordSetsNormalizedRecordNames': [...props.hostnames],
              },
            },
          },
        ],
      }),
    });
  }
}
