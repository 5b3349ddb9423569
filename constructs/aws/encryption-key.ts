import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, e.g. `skyline-dev-eks-secrets`. */
  readonly alias: string;
  readonly description: string;
  readonly accountId: string;
  /**
   * AWS service principals (e.g. `logs.us-west-2.amazonaws.com`) allowed to use the key.
   * @default none: only IAM principals of the account, through their own policies
   */
  readonly servicePrincipals?: readonly string[];
  /** @default 30 */
  readonly deletionWindowDays?: number;
}

/** A customer-managed KMS key with yearly automatic rotation and an explicit key policy. */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const accountRoot = `arn:aws:iam::${props.accountId}:root`;
    const statements: object[] = [
      // Delegates key use to IAM policies in the account (the AWS default), which keeps grants least-privilege per role.
      { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: accountRoot }, Action: 'kms:*', Resource: '*' },
    ];
    for (const principal of props.servicePrincipals ?? []) {
      statements.push({
        Sid: `Service${principal.split('.')[0].replace(/[^A-Za-z0-9]/g, '')}`,
        Effect: 'Allow',
        Principal: { Service: principal },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
      });
    }
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
