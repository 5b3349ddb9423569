import { Eip } from '@cdktf/provider-aws/lib/eip';
import { Construct } from 'constructs';
import type { GatewayAddressBinding } from '../common/gateway-address';

export interface AwsGatewayAddressProps {
  readonly name: string;
  /** Zones of the public subnets, in the order of `publicSubnetIds`. */
  readonly zones: readonly string[];
  /** One public subnet per zone: the NLB gets one Elastic IP in each. */
  readonly publicSubnetIds: readonly string[];
}

/**
 * The region's static public address: one Elastic IP per zone, which the AWS
 * Load Balancer Controller attaches to the gateway's internet-facing NLB. The
 * addresses outlive the load balancer, so DNS never has to follow a new one.
 */
export class AwsGatewayAddress extends Construct {
  readonly binding: GatewayAddressBinding;
  readonly allocationIds: string[];

  constructor(scope: Construct, id: string, props: AwsGatewayAddressProps) {
    super(scope, id);
    const addresses = props.zones.map(
      (zone) => new Eip(this, `address-${zone.slice(-1)}`, { domain: 'vpc', tags: { Name: `${props.name}-gateway-${zone}` } }),
    );
    this.allocationIds = addresses.map((address) => address.allocationId);
    this.binding = {
      publicIps: addresses.map((address) => address.publicIp),
      serviceAnnotations: {
        // "external" hands the Service to the AWS Load Balancer Controller instead of the legacy in-tree provider.
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
        // The controller pairs the n-th allocation with the n-th subnet: both lists follow `zones`.
        'service.beta.kubernetes.io/aws-load-balancer-subnets': props.publicSubnetIds.join(','),
        'service.beta.kubernetes.io/aws-load-balancer-eip-allocations': this.allocationIds.join(','),
        'service.beta.kubernetes.io/aws-load-balancer-attributes': 'load_balancing.cross_zone.enabled=true',
      },
    };
  }
}
