import { Construct } from 'constructs';
import type { ServiceAccountRef } from '../common/bundled-services';
import type { ClusterFederation } from './cluster-federation';
import { WorkloadIdentity } from './workload-identity';

export interface Dns01IdentityProps {
  readonly roleName: string;
  /** The public domain; only `_acme-challenge` TXT records under it may change. */
  readonly domain: string;
  /** The service account cert-manager exchanges tokens of. */
  readonly serviceAccount: ServiceAccountRef;
  /** The cluster's federation with AWS IAM. */
  readonly federation: ClusterFederation;
}

/**
 * The AWS identity cert-manager uses for ACME DNS-01 on Route53, from any
 * cloud's cluster: a role assumable with the service account's projected
 * token (no keys), allowed to change only `_acme-challenge` TXT records under
 * the domain. It needs no hosted-zone ID, so it does not depend on the global
 * stack that owns the zone.
 */
export class Dns01Identity extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: Dns01IdentityProps) {
    super(scope, id);
    const { issuer } = props.federation;
    const identity = new WorkloadIdentity(this, 'identity', {
      roleName: props.roleName,
      oidcProviderArn: issuer.providerArn,
      oidcIssuerHost: issuer.host,
      serviceAccount: props.serviceAccount,
    });
    identity.addPolicy('acme-dns01', [
      { Sid: 'FindZone', Effect: 'Allow', Action: ['route53:ListHostedZonesByName'], Resource: ['*'] },
      { Sid: 'ReadChanges', Effect: 'Allow', Action: ['route53:GetChange'], Resource: ['arn:aws:route53:::change/*'] },
      { Sid: 'ReadRecords', Effect: 'Allow', Action: ['route53:ListResourceRecordSets'], Resource: ['arn:aws:route53:::hostedzone/*'] },
      {
        Sid: 'WriteChallengeRecordsOnly',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets'],
        Resource: ['arn:aws:route53:::hostedzone/*'],
        Condition: {
          'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
          'ForAllValues:StringLike': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': [`_acme-challenge.${props.domain}`, `_acme-challenge.*.${props.domain}`],
          },
        },
      },
    ]);
    this.roleArn = identity.roleArn;
  }
}
