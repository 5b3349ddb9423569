import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { serviceAccountSubject, type ServiceAccountRef } from '../common/bundled-services';

/** The audience Entra ID expects in tokens it exchanges for a managed identity's token. */
export const AZURE_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export interface AzureWorkloadIdentityProps {
  /** Name of the user-assigned managed identity. */
  readonly identityName: string;
  readonly resourceGroupName: string;
  /** Azure region, e.g. `centralindia`. */
  readonly location: string;
  /**
   * OIDC issuer URL of the cluster whose service-account tokens are trusted.
   * @default none: no federated credential; a cluster elsewhere is federated with the identity through an
   * `AzureClusterFederation` (the replicator's, ADR-007)
   */
  readonly oidcIssuerUrl?: string;
  /** The only Kubernetes service account allowed to act as the identity. */
  readonly serviceAccount: ServiceAccountRef;
  /**
   * Tags on the managed identity.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A user-assigned managed identity for one Kubernetes service account (AKS
 * workload identity): a federated credential trusts tokens of exactly that
 * service account of one cluster. It starts with no role; resources add
 * least-privilege role assignments through their grant methods.
 */
export class AzureWorkloadIdentity extends Construct {
  readonly identity: UserAssignedIdentity;
  /** The client ID pods put in their `azure.workload.identity/client-id` service-account annotation. */
  readonly clientId: string;
  /** The Entra object ID that role assignments target. */
  readonly principalId: string;

  constructor(scope: Construct, id: string, props: AzureWorkloadIdentityProps) {
    super(scope, id);
    this.identity = new UserAssignedIdentity(this, 'identity', {
      name: props.identityName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: { ...props.tags },
    });
    this.clientId = this.identity.clientId;
    this.principalId = this.identity.principalId;
    if (props.oidcIssuerUrl === undefined) return;
    new FederatedIdentityCredential(this, 'federated-credential', {
      name: `${props.serviceAccount.namespace}-${props.serviceAccount.name}`,
      resourceGroupName: props.resourceGroupName,
      parentId: this.identity.id,
      issuer: props.oidcIssuerUrl,
      subject: serviceAccountSubject(props.serviceAccount),
      audience: [AZURE_TOKEN_EXCHANGE_AUDIENCE],
    });
  }

  /** Assigns the built-in role `roleDefinitionName` to this identity on `scope` (one assignment per grant, readable in a plan). */
  addRoleAssignment(id: string, roleDefinitionName: string, scope: string): RoleAssignment {
    return new RoleAssignment(this, id, {
      scope,
      roleDefinitionName,
      principalId: this.principalId,
      // Skips the Entra lookup that fails while a just-created identity is still replicating.
      principalType: 'ServicePrincipal',
    });
  }
}
