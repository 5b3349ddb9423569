import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { Fn, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import type { ServiceAccountRef } from '../common/bundled-services';
import { WorkloadIdentity } from './workload-identity';

export interface Dns01IdentityProps {
  readonly roleName: string;
  /** The public domain; only `_acme-challenge` TXT records under it may change. */
  readonly domain: string;
  /** The service account cert-manager exchanges tokens of. */
  readonly serviceAccount: ServiceAccountRef;
  /**
   * The cluster's OIDC issuer: an existing IAM OIDC provider (EKS), or an issuer URL to create one for (GKE, AKS).
   */
  readonly issuer: { readonly providerArn: string; readonly host: string } | { readonly url: string };
}

/**
 * The AWS identity cert-manager uses for ACME DNS-01 on Route53, from any
 * cloud's cluster: a role assumable with the service account's projected
 * token (web identity federation, no keys), allowed to change only
 * `_acme-challenge` TXT records under the domain. It needs no hosted-zone ID,
 * so it does not depend on the global stack that owns the zone.
 */
export class Dns01Identity extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: Dns01IdentityProps) {
    super(scope, id);
    const issuer = 'url' in props.issuer ? this.federate(props.issuer.url) : props.issuer;
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

  /** An IAM OIDC provider for a non-EKS cluster's issuer (AKS issuers end with a slash; IAM keys have none). */
  private federate(issuerUrl: string): { providerArn: string; host: string } {
    const url = new TerraformLocal(this, 'issuer-url', Fn.trimsuffix(issuerUrl, '/')).asString;
    const provider = new IamOpenidConnectProvider(this, 'cluster-issuer', { url, clientIdList: ['sts.amazonaws.com'] });
    // Locals, so the trust policy references them instead of embedding quoted function calls in its JSON.
    return { providerArn: provider.arn, host: new TerraformLocal(this, 'issuer-host', Fn.replace(url, 'https://', '')).asString };
  }
}
