import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
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
  /**
   * Tags on every taggable resource.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The VNet of an AKS cluster and its node subnet. Pods run on Azure CNI
 * overlay, so the pod range lives outside the VNet and the subnet only needs
 * room for nodes (and internal load balancers).
 */
export class AzureNetwork extends Construct {
  readonly virtualNetwork: VirtualNetwork;
  readonly nodeSubnet: Subnet;
  readonly nodeSubnetId: string;

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
  }
}
