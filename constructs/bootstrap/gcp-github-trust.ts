import { IamWorkloadIdentityPool } from '@cdktf/provider-google/lib/iam-workload-identity-pool';
import { IamWorkloadIdentityPoolProvider } from '@cdktf/provider-google/lib/iam-workload-identity-pool-provider';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { Construct } from 'constructs';
import { GITHUB_OIDC_ISSUER, type GitHubSubjects } from './github-oidc';

/**
 * What the deploy service account holds on the project: what the GCP stacks create (network and firewall, GKE,
 * service accounts and their IAM, project IAM, KMS, buckets, Pub/Sub, BigQuery, notification channels), and the
 * right to run node pools as the node service account. Billing budgets also need Billing Account Costs Manager on
 * the billing account, which only its administrator can grant (docs/delivery.md).
 */
export const GCP_DEPLOY_ROLES = [
  'roles/compute.networkAdmin',
  'roles/compute.securityAdmin',
  'roles/container.admin',
  'roles/iam.serviceAccountAdmin',
  'roles/iam.serviceAccountUser',
  'roles/resourcemanager.projectIamAdmin',
  'roles/cloudkms.admin',
  'roles/storage.admin',
  'roles/pubsub.admin',
  'roles/bigquery.admin',
  'roles/monitoring.notificationChannelEditor',
] as const;

/** Read-only: every resource's configuration, and IAM policies (which roles/viewer leaves out). */
export const GCP_PLAN_ROLES = ['roles/viewer', 'roles/iam.securityReviewer'] as const;

export interface GcpGitHubTrustProps {
  /** Prefix of the pool (`<namePrefix>-github`) and service accounts (`<namePrefix>-deploy`, `<namePrefix>-plan`). */
  readonly namePrefix: string;
  readonly projectId: string;
  /** `owner/name`: the provider accepts tokens of this repository only. */
  readonly githubRepository: string;
  readonly subjects: GitHubSubjects;
}

/**
 * GCP's side of the GitHub Actions OIDC federation (Workload Identity Federation), for one environment's project:
 * a workload identity pool with a GitHub provider that accepts tokens of one repository's two subjects only, and two service
 * accounts that only a token with the right subject may impersonate (no service-account keys anywhere): **deploy**
 * (`subjects.deploy`, GCP_DEPLOY_ROLES) and **plan** (`subjects.plan`, GCP_PLAN_ROLES).
 */
export class GcpGitHubTrust extends Construct {
  readonly pool: IamWorkloadIdentityPool;
  readonly provider: IamWorkloadIdentityPoolProvider;
  readonly deployServiceAccount: ServiceAccount;
  readonly planServiceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: GcpGitHubTrustProps) {
    super(scope, id);
    this.pool = new IamWorkloadIdentityPool(this, 'pool', {
      workloadIdentityPoolId: `${props.namePrefix}-github`,
      displayName: 'GitHub Actions',
      description: `Workflows of ${props.githubRepository}`,
    });
    this.provider = new IamWorkloadIdentityPoolProvider(this, 'provider', {
      workloadIdentityPoolId: this.pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: 'github',
      displayName: 'GitHub Actions OIDC',
      oidc: { issuerUri: GITHUB_OIDC_ISSUER },
      attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' },
      // Only the repository's two subjects get a federated token at all; the service accounts' bindings then
      // decide which of them may impersonate which account.
      attributeCondition: `assertion.repository == '${props.githubRepository}' && (${[props.subjects.deploy, props.subjects.plan].map((subject) => `assertion.sub == '${subject}'`).join(' || ')})`,
    });

    this.deployServiceAccount = this.serviceAccount('deploy', `${props.namePrefix}-deploy`, props.subjects.deploy, GCP_DEPLOY_ROLES, props.projectId);
    this.planServiceAccount = this.serviceAccount('plan', `${props.namePrefix}-plan`, props.subjects.plan, GCP_PLAN_ROLES, props.projectId);
  }

  /** A service account holding `roles` on the project that only a federated token with `subject` may impersonate. */
  private serviceAccount(id: string, accountId: string, subject: string, roles: readonly string[], projectId: string): ServiceAccount {
    const account = new ServiceAccount(this, `${id}-service-account`, { accountId, displayName: `Skyline ${id} from GitHub Actions` });
    new ServiceAccountIamMember(this, `${id}-federated`, {
      serviceAccountId: account.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `principal://iam.googleapis.com/${this.pool.name}/subject/${subject}`,
    });
    for (const role of roles) {
      new ProjectIamMember(this, `${id}-${role.replace('roles/', '').replace(/\./g, '-')}`, { project: projectId, role, member: account.member });
    }
    return account;
  }
}
