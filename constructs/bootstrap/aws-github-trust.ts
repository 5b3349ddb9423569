import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { GITHUB_OIDC_ISSUER, type GitHubSubjects } from './github-oidc';
import type { TerraformStateBucket } from './terraform-state-bucket';

/** The audience GitHub's token carries for AWS (aws-actions/configure-aws-credentials asks for it). */
export const AWS_STS_AUDIENCE = 'sts.amazonaws.com';

/** Long enough for a whole environment's first deploy (EKS and node groups take most of it). */
const DEPLOY_SESSION_SECONDS = 4 * 3600;

export interface AwsGitHubTrustProps {
  /** Prefix of the two roles' names: `<namePrefix>-github-deploy`, `<namePrefix>-github-plan`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly subjects: GitHubSubjects;
  /** The state bucket: the plan role may decrypt state; the deploy role may not weaken the bucket or its key. */
  readonly stateBucket: TerraformStateBucket;
}

/**
 * AWS's side of the GitHub Actions OIDC federation, for one environment's account: the OIDC provider for GitHub's
 * issuer and two roles that only GitHub tokens with the right subject can assume (no access keys anywhere):
 *
 * - **deploy**, for `subjects.deploy` (the environment's deploy job): AdministratorAccess, because the stacks create
 *   IAM roles, KMS keys, VPCs and clusters, minus guardrails that keep CI from changing its own trust (these roles,
 *   the OIDC provider) or from weakening the state bucket, its versions or its key;
 * - **plan**, for `subjects.plan` (pull requests): ReadOnlyAccess plus decrypting the state, for `cdktf diff`
 *   without refresh or lock.
 */
export class AwsGitHubTrust extends Construct {
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly deployRole: IamRole;
  readonly planRole: IamRole;

  constructor(scope: Construct, id: string, props: AwsGitHubTrustProps) {
    super(scope, id);
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', { url: GITHUB_OIDC_ISSUER, clientIdList: [AWS_STS_AUDIENCE] });
    const issuerHost = GITHUB_OIDC_ISSUER.replace('https://', '');
    const trustFor = (subject: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: this.oidcProvider.arn },
            Action: 'sts:AssumeRoleWithWebIdentity',
            // StringEquals on both claims: exactly this repository and job kind, no wildcard.
            Condition: { StringEquals: { [`${issuerHost}:aud`]: AWS_STS_AUDIENCE, [`${issuerHost}:sub`]: subject } },
          },
        ],
      });
    const deployRoleName = `${props.namePrefix}-github-deploy`;
    const planRoleName = `${props.namePrefix}-github-plan`;
    this.deployRole = new IamRole(this, 'deploy-role', {
      name: deployRoleName,
      description: `Deploys Skyline from GitHub Actions (${props.subjects.deploy})`,
      assumeRolePolicy: trustFor(props.subjects.deploy),
      maxSessionDuration: DEPLOY_SESSION_SECONDS,
    });
    new IamRolePolicyAttachment(this, 'deploy-administrator', { role: this.deployRole.name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    const ciRoles = [deployRoleName, planRoleName].map((name) => `arn:aws:iam::${props.accountId}:role/${name}`);
    new IamRolePolicy(this, 'deploy-guardrails', {
      role: this.deployRole.name,
      name: 'protect-delivery-trust-and-state',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'KeepCiRolesAsBootstrapped',
            Effect: 'Deny',
            Action: [
              'iam:UpdateAssumeRolePolicy',
              'iam:AttachRolePolicy',
              'iam:DetachRolePolicy',
              'iam:PutRolePolicy',
              'iam:DeleteRolePolicy',
              'iam:PutRolePermissionsBoundary',
              'iam:DeleteRolePermissionsBoundary',
              'iam:UpdateRole',
              'iam:DeleteRole',
            ],
            Resource: ciRoles,
          },
          {
            Sid: 'KeepGitHubOidcProviderAsBootstrapped',
            Effect: 'Deny',
            Action: ['iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:DeleteOpenIDConnectProvider'],
            Resource: [this.oidcProvider.arn],
          },
          {
            Sid: 'KeepStateBucketProtected',
            Effect: 'Deny',
            Action: [
              's3:DeleteBucket',
              's3:PutBucketPolicy',
              's3:DeleteBucketPolicy',
              's3:PutBucketVersioning',
              's3:PutLifecycleConfiguration',
              's3:PutEncryptionConfiguration',
              's3:PutBucketPublicAccessBlock',
              's3:PutBucketLogging',
            ],
            Resource: [props.stateBucket.bucketArn],
          },
          // Writing state creates versions; purging them would remove the way back.
          { Sid: 'KeepStateHistory', Effect: 'Deny', Action: ['s3:DeleteObjectVersion'], Resource: [`${props.stateBucket.bucketArn}/*`] },
          {
            Sid: 'KeepStateKey',
            Effect: 'Deny',
            Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation'],
            Resource: [props.stateBucket.encryptionKey.arn],
          },
        ],
      }),
    });

    this.planRole = new IamRole(this, 'plan-role', {
      name: planRoleName,
      description: `Plans Skyline changes from GitHub pull requests (${props.subjects.plan}), read-only`,
      assumeRolePolicy: trustFor(props.subjects.plan),
    });
    new IamRolePolicyAttachment(this, 'plan-read-only', { role: this.planRole.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    // ReadOnlyAccess reads objects but cannot decrypt SSE-KMS ones: the state needs its key.
    new IamRolePolicy(this, 'plan-state', {
      role: this.planRole.name,
      name: 'read-terraform-state',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'DecryptState', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [props.stateBucket.encryptionKey.arn] }],
      }),
    });
  }
}
