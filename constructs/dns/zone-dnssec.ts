import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Route53HostedZoneDnssec } from '@cdktf/provider-aws/lib/route53-hosted-zone-dnssec';
import { Route53KeySigningKey } from '@cdktf/provider-aws/lib/route53-key-signing-key';
import { Construct } from 'constructs';

/** The service principal Route53 signs with. */
export const DNSSEC_SERVICE_PRINCIPAL = 'dnssec-route53.amazonaws.com';

export interface ZoneDnssecProps {
  /** The public hosted zone to sign. */
  readonly zoneId: string;
  /** The account of the zone (and of the signing key). */
  readonly accountId: string;
  /**
   * Make Terraform refuse to destroy the signing key: once the parent zone holds the DS record, losing the key makes
   * the domain unresolvable for every validating resolver.
   * @default true
   */
  readonly retainKeyOnDestroy?: boolean;
}

/**
 * DNSSEC signing for a public hosted zone: an asymmetric KMS key (ECC P-256, the only spec Route53 accepts) that only
 * Route53's DNSSEC service may sign with, a key-signing key over it, and signing turned on. Route53 must find the key
 * in us-east-1, so the construct must sit in a stack whose AWS provider is in us-east-1.
 *
 * Signing protects nothing until the parent zone publishes the DS record (`dsRecord`): that last step is manual,
 * at the registrar or the parent zone (docs/runbooks/first-deploy.md).
 */
export class ZoneDnssec extends Construct {
  readonly keySigningKey: Route53KeySigningKey;
  /** The DS record to publish in the parent zone. */
  readonly dsRecord: string;

  constructor(scope: Construct, id: string, props: ZoneDnssecProps) {
    super(scope, id);
    const fromRoute53 = {
      StringEquals: { 'aws:SourceAccount': props.accountId },
      ArnLike: { 'aws:SourceArn': 'arn:aws:route53:::hostedzone/*' },
    };
    const key = new KmsKey(this, 'key', {
      description: 'Route53 DNSSEC key-signing key',
      customerMasterKeySpec: 'ECC_NIST_P256',
      keyUsage: 'SIGN_VERIFY',
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${props.accountId}:root` }, Action: 'kms:*', Resource: '*' },
          { Sid: 'Route53Signs', Effect: 'Allow', Principal: { Service: DNSSEC_SERVICE_PRINCIPAL }, Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'], Resource: '*', Condition: fromRoute53 },
          {
            Sid: 'Route53Grants',
            Effect: 'Allow',
            Principal: { Service: DNSSEC_SERVICE_PRINCIPAL },
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
          },
        ],
      }),
      lifecycle: { preventDestroy: props.retainKeyOnDestroy ?? true },
    });
    this.keySigningKey = new Route53KeySigningKey(this, 'key-signing-key', {
      hostedZoneId: props.zoneId,
      keyManagementServiceArn: key.arn,
      name: 'ksk',
      status: 'ACTIVE',
    });
    new Route53HostedZoneDnssec(this, 'signing', {
      hostedZoneId: this.keySigningKey.hostedZoneId,
      signingStatus: 'SIGNING',
      dependsOn: [this.keySigningKey],
    });
    this.dsRecord = this.keySigningKey.dsRecord;
  }
}
