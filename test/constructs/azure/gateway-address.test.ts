import { TerraformOutput } from 'cdktf';
import { AzureGatewayAddress } from '../../../constructs/azure/gateway-address';
import { onlyResourceOfType, parse, synthConstructs } from '../../helpers/synth';

describe('AzureGatewayAddress', () => {
  const synthesized = synthConstructs((scope) => {
    const address = new AzureGatewayAddress(scope, 'gateway-address', {
      name: 'skyline-test', resourceGroupName: 'skyline-test-rg', location: 'centralindia', zones: ['1', '2', '3'],
      clusterPrincipalId: '00000000-0000-0000-0000-00000000aaaa', tags: { project: 'skyline' },
    });
    // An output resolves the binding's references the way a consuming stack sees them.
    new TerraformOutput(scope, 'binding', { value: address.binding });
  });

  it('reserves a static, zone-redundant Standard public IP', () => {
    expect(onlyResourceOfType(synthesized, 'azurerm_public_ip')).toMatchObject({
      name: 'skyline-test-gateway', allocation_method: 'Static', sku: 'Standard', zones: ['1', '2', '3'], resource_group_name: 'skyline-test-rg',
    });
  });

  it('lets the AKS identity attach this address only', () => {
    expect(onlyResourceOfType(synthesized, 'azurerm_role_assignment')).toMatchObject({
      scope: expect.stringMatching(/^\$\{azurerm_public_ip\.gateway-address_[0-9A-F]+\.id\}$/),
      role_definition_name: 'Network Contributor',
      principal_id: '00000000-0000-0000-0000-00000000aaaa',
    });
  });

  it('binds the Service to it by name and resource group', () => {
    expect((parse(synthesized).output?.binding.value as Record<string, unknown>).serviceAnnotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-resource-group': 'skyline-test-rg',
      'service.beta.kubernetes.io/azure-pip-name': expect.stringMatching(/^\$\{azurerm_public_ip\.gateway-address_[0-9A-F]+\.name\}$/),
    });
  });
});
