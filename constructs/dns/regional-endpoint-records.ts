import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Construct } from 'constructs';

/** The two weighted records of `<region>.api.<domain>` the failover controller moves (DESIGN § 7). */
export const SELF_WEIGHT = 100;
export const SPILL_WEIGHT = 0;

export interface RegionalEndpointRecordsProps {
  readonly zoneId: string;
  /** Provider region name (`us-west-2`): the set identifiers are `<region>-self` and `<region>-spill`. */
  readonly regionName: string;
  /** `<region>.api.<domain>`. */
  readonly hostname: string;
  /** This region's public addresses, and its health check. */
  readonly self: { readonly addresses: readonly string[]; readonly healthCheckId: string };
  /** The next region's (by role), which takes this region's traffic when the controller moves the weights. */
  readonly spill: { readonly addresses: readonly string[]; readonly healthCheckId: string };
  readonly ttlSeconds: number;
}

/**
 * `<region>.api.<domain>` as a weighted pair: `self` (weight 100) answers with
 * the region's own addresses, `spill` (weight 0) with the next region's. Each
 * record carries its addresses' health check, so Route53 itself stops
 * answering with a failed region's addresses (the data-plane safety net)
 * while the controller moves the weights (the control plane). Terraform sets
 * the weights once; afterwards they belong to the controller.
 */
export class RegionalEndpointRecords extends Construct {
  constructor(scope: Construct, id: string, props: RegionalEndpointRecordsProps) {
    super(scope, id);
    const common = { zoneId: props.zoneId, name: props.hostname, type: 'A', ttl: props.ttlSeconds };
    // Without this, every apply would undo a failover the controller is in the middle of.
    const lifecycle = { ignoreChanges: ['weighted_routing_policy'] };
    new Route53Record(this, 'self', {
      ...common,
      setIdentifier: `${props.regionName}-self`,
      weightedRoutingPolicy: { weight: SELF_WEIGHT },
      records: [...props.self.addresses],
      healthCheckId: props.self.healthCheckId,
      lifecycle,
    });
    new Route53Record(this, 'spill', {
      ...common,
      setIdentifier: `${props.regionName}-spill`,
      weightedRoutingPolicy: { weight: SPILL_WEIGHT },
      records: [...props.spill.addresses],
      healthCheckId: props.spill.healthCheckId,
      lifecycle,
    });
  }
}
