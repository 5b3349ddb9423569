import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { serviceAccountSubject, type ServiceAccountRef } from '../common/bundled-services';

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface WorkloadIdentityProps {
  /** IAM role name. */
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer without `https://`, e.g. `oidc.eks.us-west-2.amazonaws.com/id/ABC`. */
  readonly oidcIssuerHost: string;
  /** The only Kubernetes service account allowed to assume the role. */
  readonly serviceAccount: ServiceAccountRef;
}

/**
 * An IAM role for a Kubernetes service account (IRSA): assumable only by the
 * token of one service account of one cluster. It starts with no permission;
 * resources add least-privilege statements through their grant methods.
 */
export class WorkloadIdentity extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: props.oidcProviderArn },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                [`${props.oidcIssuerHost}:sub`]: serviceAccountSubject(props.serviceAccount),
                [`${props.oidcIssuerHost}:aud`]: 'sts.amazonaws.com',
              },
            },
          },
        ],
      }),
    });
    this.roleArn = this.role.arn;
  }

  /** Attaches an inline policy named `name` (one per grant, so each grant reads on its own in a plan). */
  addPolicy(name: string, statements: readonly PolicyStatement[]): void {
    new IamRolePolicy(this, name, {
      role: this.role.name,
      name,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
  }

  /** Attaches an AWS-managed policy, for add-ons whose needs AWS maintains (VPC CNI, EBS CSI). */
  attachManagedPolicy(id: string, policyArn: string): void {
    new IamRolePolicyAttachment(this, id, { role: this.role.name, policyArn });
  }
}
