import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { AzureNetwork } from '../../../constructs/azure/network';
import { onlyResourceOfType, resourcesOfType, synthConstructs } from '../../helpers/synth';

const props = {
  name: 'skyline-test',
  resourceGroupName: 'skyline-test-rg',
  location: 'centralindia',
  vnetCidr: '10.4.0.0/16',
  nodeSubnetCidr: '10.4.0.0/20',
  podCidr: '10.5.0.0/16',
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

  describe('node subnet security group', () => {
    const rules = resourcesOfType(synthesized, 'azurerm_network_security_rule');

    it('is attached to the node subnet', () => {
      expect(synthesized).toHaveResourceWithProperties(SubnetNetworkSecurityGroupAssociation, {
        subnet_id: expect.stringMatching(/^\$\{azurerm_subnet\.network_node-subnet_.*\.id\}$/),
        network_security_group_id: expect.stringMatching(/^\$\{azurerm_network_security_group\.network_node-security-group_.*\.id\}$/),
      });
    });

    it('lets pods and nodes reach each other (overlay pod addresses are outside the VirtualNetwork tag)', () => {
      expect(rules.find((rule) => rule.name === 'allow-pod-traffic')).toMatchObject({
        direction: 'Inbound',
        access: 'Allow',
        protocol: '*',
        source_address_prefixes: ['10.5.0.0/16', '10.4.0.0/20'],
        destination_address_prefixes: ['10.5.0.0/16', '10.4.0.0/20'],
      });
    });

    it('admits the internet on the gateway ports only, over TCP', () => {
      const fromInternet = rules.filter((rule) => rule.source_address_prefix === 'Internet' || rule.source_address_prefix === '*');
      expect(fromInternet).toEqual([expect.objectContaining({ name: 'allow-public-gateway', access: 'Allow', protocol: 'Tcp', destination_port_ranges: ['80', '443'] })]);
      const ports = resourcesOfType(synthConstructs((scope) => new AzureNetwork(scope, 'network', { ...props, publicIngressPorts: [443] })), 'azurerm_network_security_rule');
      expect(ports.find((rule) => rule.name === 'allow-public-gateway')?.destination_port_ranges).toEqual(['443']);
    });

    it('adds no deny rule of its own (Azure\'s default rules deny everything else inbound), and only to its own group', () => {
      expect(rules.map((rule) => [rule.direction, rule.access])).toEqual([
        ['Inbound', 'Allow'],
        ['Inbound', 'Allow'],
      ]);
      for (const rule of rules) expect(rule.network_security_group_name).toMatch(/^\$\{azurerm_network_security_group\.network_node-security-group_.*\.name\}$/);
    });
  });
});
