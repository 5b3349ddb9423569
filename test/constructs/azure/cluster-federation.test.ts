import { AzureClusterFederation } from '../../../constructs/azure/cluster-federation';
import { AzureWorkloadIdentity } from '../../../constructs/azure/workload-identity';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const REPLICATOR = { namespace: 'skyline-system', name: 'replicator' };

function identity(scope: Parameters<Parameters<typeof synthConstructs>[0]>[0]): AzureWorkloadIdentity {
  return new AzureWorkloadIdentity(scope, 'replicator', { identityName: 'skyline-dev-replicator', resourceGroupName: 'skyline-dev-rg', location: 'centralindia', serviceAccount: REPLICATOR });
}

describe('azure AzureClusterFederation', () => {
  const synthesized = synthConstructs((scope) => {
    new AzureClusterFederation(scope, 'federation', { issuerUrl: ISSUER, clusterName: 'dev-aws-us-west-2' }).allow(identity(scope), REPLICATOR);
  });

  it('trusts one subject of the other cluster\'s issuer on the identity, for Entra token exchange only', () => {
    expect(onlyResourceOfType(synthesized, 'azurerm_federated_identity_credential')).toEqual({
      name: 'dev-aws-us-west-2-skyline-system-replicator',
      resource_group_name: expect.stringMatching(/azurerm_user_assigned_identity\.replicator_identity_\w+\.resource_group_name/),
      parent_id: expect.stringMatching(/azurerm_user_assigned_identity\.replicator_identity_\w+\.id/),
      issuer: ISSUER,
      subject: 'system:serviceaccount:skyline-system:replicator',
      audience: ['api://AzureADTokenExchange'],
    });
  });

  it('refuses a credential name Entra would refuse', () => {
    expect(() => synthConstructs((scope) => new AzureClusterFederation(scope, 'federation', { issuerUrl: ISSUER, clusterName: 'x'.repeat(100) }).allow(identity(scope), REPLICATOR))).toThrow(/must be 3-120 letters/);
  });
});
