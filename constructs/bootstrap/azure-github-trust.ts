import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { AZURE_TOKEN_EXCHANGE_AUDIENCE } from '../azure/workload-identity';
import { GITHUB_OIDC_ISSUER, type GitHubSubjects } from './github-oidc';

/**
 * What the deploy identity holds on the subscription: Contributor for the resources; Role Based Access Control
 * Administrator for the stacks' role assignments (it can manage assignments but, unlike User Access Administrator,
 * nothing else of Entra authorization); blob and queue data roles, because shared keys are off and the provider
 * reads storage service properties through Entra ID.
 */
export const AZURE_DEPLOY_ROLES = ['Contributor', 'Role Based Access Control Administrator', 'Storage Blob Data Contributor', 'Storage Queue Data Contributor'] as const;

/** Read-only, including the storage service properties a plan reads through the data plane. */
export const AZURE_PLAN_ROLES = ['Reader', 'Storage Blob Data Reader', 'Storage Queue Data Reader'] as const;

export interface AzureGitHubTrustProps {
  /** Prefix of the resource group (`<namePrefix>-delivery`) and identities (`<namePrefix>-github-deploy`, `-plan`). */
  readonly namePrefix: string;
  readonly subscriptionId: string;
  /** Azure region of the resource group and identities. */
  readonly location: string;
  readonly subjects: GitHubSubjects;
  /**
   * Tags on the resource group and identities.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Azure's side of the GitHub Actions OIDC federation, for one environment's subscription: two user-assigned
 * managed identities, each with one federated credential that trusts exactly one GitHub subject (no client
 * secrets anywhere): **deploy** (`subjects.deploy`, AZURE_DEPLOY_ROLES) and **plan** (`subjects.plan`,
 * AZURE_PLAN_ROLES), both on the subscription. `azure/login` signs in with the identity's client ID.
 */
export class AzureGitHubTrust extends Construct {
  readonly deployIdentity: UserAssignedIdentity;
  readonly planIdentity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: AzureGitHubTrustProps) {
    super(scope, id);
    const resourceGroup = new ResourceGroup(this, 'resource-group', { name: `${props.namePrefix}-delivery`, location: props.location, tags: { ...props.tags } });
    const subscription = `/subscriptions/${props.subscriptionId}`;
    const identity = (kind: 'deploy' | 'plan', subject: string, roles: readonly string[]): UserAssignedIdentity => {
      const managedIdentity = new UserAssignedIdentity(this, `${kind}-identity`, {
        name: `${props.namePrefix}-github-${kind}`,
        resourceGroupName: resourceGroup.name,
        location: props.location,
        tags: { ...props.tags },
      });
      new FederatedIdentityCredential(this, `${kind}-federated-credential`, {
        name: `github-${kind}`,
        resourceGroupName: resourceGroup.name,
        parentId: managedIdentity.id,
        issuer: GITHUB_OIDC_ISSUER,
        subject,
        audience: [AZURE_TOKEN_EXCHANGE_AUDIENCE],
      });
      for (const role of roles) {
        new RoleAssignment(this, `${kind}-${role.toLowerCase().replace(/ /g, '-')}`, {
          scope: subscription,
          roleDefinitionName: role,
          principalId: managedIdentity.principalId,
          // Skips the Entra lookup that fails while a just-created identity is still replicating.
          principalType: 'ServicePrincipal',
        });
      }
      return managedIdentity;
    };
    this.deployIdentity = identity('deploy', props.subjects.deploy, AZURE_DEPLOY_ROLES);
    this.planIdentity = identity('plan', props.subjects.plan, AZURE_PLAN_ROLES);
  }
}
