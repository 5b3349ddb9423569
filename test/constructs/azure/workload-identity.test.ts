import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { AzureWorkloadIdentity } from '../../../constructs/azure/workload-identity';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const props = {
  identityName: 'skyline-test-replicator',
  resourceGroupName: 'skyline-test-rg',
  location: 'centralindia',
  oidcIssuerUrl: 'https://centralindia.oic.prod-aks.azure.com/tenant/issuer/',
  serviceAccount: { namespace: 'skyline-system', name: 'replicator' },
  tags: { 'managed-by': 'cdktf' },
};

describe('azure AzureWorkloadIdentity', () => {
  const synthesized = synthConstructs((scope) => {
    const identity = new AzureWorkloadIdentity(scope, 'identity', props);
    identity.addRoleAssignment('reader', 'Storage Blob Data Reader', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a');
  });

  it('creates a tagged user-assigned identity', () => {
    expect(synthesized).toHaveResourceWithProperties(UserAssignedIdentity, {
      name: 'skyline-test-replicator',
      location: 'centralindia',
      tags: { 'managed-by': 'cdktf' },
    });
  });

  it('trusts exactly one service account of one cluster issuer, for token exchange only', () => {
    expect(synthesized).toHaveResourceWithProperties(FederatedIdentityCredential, {
      issuer: 'https://centralindia.oic.prod-aks.azure.com/tenant/issuer/',
      subject: 'system:serviceaccount:skyline-system:replicator',
      audience: ['api://AzureADTokenExchange'],
    });
    expect(onlyResourceOfType(synthesized, 'azurerm_federated_identity_credential').parent_id).toMatch(
      /^\$\{azurerm_user_assigned_identity\.identity_[0-9A-F]+\.id\}$/,
    );
  });

  it('trusts no cluster without an issuer (a cluster elsewhere is federated with it)', () => {
    const json = JSON.parse(synthConstructs((scope) => new AzureWorkloadIdentity(scope, 'identity', { ...props, oidcIssuerUrl: undefined }))) as { resource: Record<string, unknown> };
    expect(Object.keys(json.resource)).toEqual(['azurerm_user_assigned_identity']);
  });

  it('assigns roles to its own principal, as a service principal', () => {
    const assignment = onlyResourceOfType(synthesized, 'azurerm_role_assignment');
    expect(assignment).toMatchObject({
      role_definition_name: 'Storage Blob Data Reader',
      principal_type: 'ServicePrincipal',
      scope: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a',
    });
    expect(assignment.principal_id).toMatch(/^\$\{azurerm_user_assigned_identity\.identity_[0-9A-F]+\.principal_id\}$/);
  });
});
