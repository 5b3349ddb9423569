import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
import { Construct } from 'constructs';
import type { GatewayAddressBinding } from '../common/gateway-address';

export interface GcpGatewayAddressProps {
  readonly name: string;
  readonly region: string;
}

/**
 * The region's static public address: a reserved regional external IP that
 * GKE's network load balancer for the gateway Service takes through
 * `spec.loadBalancerIP`. It outlives the Service, so DNS never has to move.
 */
export class GcpGatewayAddress extends Construct {
  readonly address: ComputeAddress;
  readonly binding: GatewayAddressBinding;

  constructor(scope: Construct, id: string, props: GcpGatewayAddressProps) {
    super(scope, id);
    this.address = new ComputeAddress(this, 'address', {
      name: `${props.name}-gateway`,
      region: props.region,
      addressType: 'EXTERNAL',
      // Premium tier: traffic enters Google's network at the edge nearest the client, as Route53 latency routing assumes.
      networkTier: 'PREMIUM',
      description: 'Public address of the Skyline regional gateway',
    });
    this.binding = { publicIps: [this.address.address], serviceAnnotations: {}, loadBalancerIp: this.address.address };
  }
}
