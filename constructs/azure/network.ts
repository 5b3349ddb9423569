import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Construct } from 'constructs';

export interface AzureNetworkProps {
  /** Name prefix, e.g. `skyline-dev`; the VNet is `<name>-vnet`, the node subnet `<name>-nodes`. */
  readonly name: string;
  readonly resourceGroupName: string;
  /** Azure region, e.g. `centralindia`. */
  readonly location: string;
  /** VNet address space. */
  readonly vnetCidr: string;
  /** Node subnet, inside `vnetCidr`. Holds node addresses only: pods get overlay addresses. */
  readonly nodeSubnetCidr: string;
  /** Overlay range of the pods (outside the VNet): the subnet's security group lets it talk to the nodes. */
  readonly podCidr: string;
  /**
   * TCP ports the internet may reach through the cluster's public load balancer frontends (the gateway's listeners).
   * @default [80, 443]
   */
  readonly publicIngressPorts?: readonly number[];
  /**
   * Tags on every taggable resource.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The VNet of an AKS cluster and its node subnet. Pods run on Azure CNI
 * overlay, so the pod range lives outside the VNet and the subnet only needs
 * room for nodes (and internal load balancers). A network security group on
 * the subnet admits, besides Azure's defaults (VNet, load balancer probes),
 * only pod traffic and the gateway's public ports.
 */
export class AzureNetwork extends Construct {
  readonly virtualNetwork: VirtualNetwork;
  readonly nodeSubnet: Subnet;
  readonly nodeSubnetId: string;
  readonly securityGroup: NetworkSecurityGroup;

  constructor(scope: Construct, id: string, props: AzureNetworkProps) {
    super(scope, id);
    this.virtualNetwork = new VirtualNetwork(this, 'vnet', {
      name: `${props.name}-vnet`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      addressSpace: [props.vnetCidr],
      tags: { ...props.tags },
    });
    this.nodeSubnet = new Subnet(this, 'node-subnet', {
      name: `${props.name}-nodes`,
      resourceGroupName: props.resourceGroupName,
      virtualNetworkName: this.virtualNetwork.name,
      addressPrefixes: [props.nodeSubnetCidr],
      // Blob traffic from nodes to the model storage account stays on the Azure backbone.
      serviceEndpoints: ['Microsoft.Storage'],
      // Egress goes through the AKS load balancer's outbound rules only, never Azure's implicit default outbound IPs.
      defaultOutboundAccessEnabled: false,
    });
    this.nodeSubnetId = this.nodeSubnet.id;

    // AKS manages the security group of its node NICs (per Service) but never touches the subnet's: this one is
    // defense in depth. Azure's default rules (65000+) allow the VNet and load balancer probes and deny the rest.
    this.securityGroup = new NetworkSecurityGroup(this, 'node-security-group', {
      name: `${props.name}-nodes`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: { ...props.tags },
    });
    const rule = { resourceGroupName: props.resourceGroupName, networkSecurityGroupName: this.securityGroup.name, direction: 'Inbound', access: 'Allow', sourcePortRange: '*' };
    // Overlay pod addresses are not in the VirtualNetwork service tag, yet pod traffic is not encapsulated:
    // without this rule the default deny would drop pod-to-pod traffic across nodes.
    new NetworkSecurityRule(this, 'allow-pod-traffic', {
      ...rule,
      name: 'allow-pod-traffic',
      priority: 100,
      protocol: '*',
      sourceAddressPrefixes: [props.podCidr, props.nodeSubnetCidr],
      destinationAddressPrefixes: [props.podCidr, props.nodeSubnetCidr],
      destinationPortRange: '*',
    });
    // With the load balancer's floating IP, packets reach nodes addressed to the frontend public IP: `*`, not the subnet.
    new NetworkSecurityRule(this, 'allow-public-gateway', {
      ...rule,
      name: 'allow-public-gateway',
      priority: 200,
      protocol: 'Tcp',
      sourceAddressPrefix: 'Internet',
      destinationAddressPrefix: '*',
      destinationPortRanges: (props.publicIngressPorts ?? [80, 443]).map(String),
    });
    new SubnetNetworkSecurityGroupAssociation(this, 'node-security-group-association', {
      subnetId: this.nodeSubnet.id,
      networkSecurityGroupId: this.securityGroup.id,
    });
  }
}
