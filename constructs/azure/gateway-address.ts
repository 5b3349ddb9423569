import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import type { GatewayAddressBinding } from '../common/gateway-address';

export interface AzureGatewayAddressProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Zones the address spans (zone-redundant over all of them). */
  readonly zones: readonly string[];
  /** Principal ID of the AKS cluster's identity, which attaches the address to its load balancer. */
  readonly clusterPrincipalId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The region's static public address: a zone-redundant Standard public IP in
 * Skyline's resource group (not AKS's node resource group, so it survives the
 * cluster), which the AKS load balancer takes for the gateway Service.
 */
export class AzureGatewayAddress extends Construct {
  readonly publicIp: PublicIp;
  readonly binding: GatewayAddressBinding;

  constructor(scope: Construct, id: string, props: AzureGatewayAddressProps) {
    super(scope, id);
    this.publicIp = new PublicIp(this, 'address', {
      name: `${props.name}-gateway`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      allocationMethod: 'Static',
      sku: 'Standard',
      zones: [...props.zones],
      tags: { ...props.tags },
    });
    // Outside its node resource group, AKS may only use an address it has been granted; scoped to this address alone.
    new RoleAssignment(this, 'cluster-may-attach', {
      scope: this.publicIp.id,
      roleDefinitionName: 'Network Contributor',
      principalId: props.clusterPrincipalId,
      principalType: 'ServicePrincipal',
    });
    this.binding = {
      publicIps: [this.publicIp.ipAddress],
      serviceAnnotations: {
        'service.beta.kubernetes.io/azure-load-balancer-resource-group': props.resourceGroupName,
        'service.beta.kubernetes.io/azure-pip-name': this.publicIp.name,
      },
    };
  }
}
