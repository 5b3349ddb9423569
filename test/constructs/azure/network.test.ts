import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { AzureNetwork } from '../../../constructs/azure/network';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const props = {
  name: 'skyline-test',
  resourceGroupName: 'skyline-test-rg',
  location: 'centralindia',
  vnetCidr: '10.4.0.0/16',
  nodeSubnetCidr: '10.4.0.0/20',
  tags: { 'managed-by': 'cdktf' },
};

describe('azure AzureNetwork', () => {
  const synthesized = synthConstructs((scope) => new AzureNetwork(scope, 'network', props));

  it('creates the VNet over vnetCidr only: the overlay pod range stays outside it', () => {
    expect(synthesized).toHaveResourceWithProperties(VirtualNetwork, {
      name: 'skyline-test-vnet',
      location: 'centralindia',
      address_space: ['10.4.0.0/16'],
      tags: { 'managed-by': 'cdktf' },
    });
  });

  it('creates the node subnet with a Microsoft.Storage service endpoint', () => {
    expect(synthesized).toHaveResourceWithProperties(Subnet, {
      name: 'skyline-test-nodes',
      address_prefixes: ['10.4.0.0/20'],
      service_endpoints: ['Microsoft.Storage'],
    });
    expect(onlyResourceOfType(synthesized, 'azurerm_subnet').virtual_network_name).toMatch(/^\$\{azurerm_virtual_network\.network_vnet_.*\.name\}$/);
  });

  it('turns off implicit default outbound access on the node subnet', () => {
    expect(onlyResourceOfType(synthesized, 'azurerm_subnet').default_outbound_access_enabled).toBe(false);
  });
});
