import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Construct } from 'constructs';

export interface LatencyAliasRecordProps {
  readonly zoneId: string;
  /** `api.<domain>`. */
  readonly apiHostname: string;
  /** The AWS region name Route53 measures latency against for this endpoint (`eu-west-1` for GCP europe-west1). */
  readonly latencyLabel: string;
  /** `<region>.api.<domain>`, the weighted pair this entry aliases. */
  readonly regionalHostname: string;
}

/**
 * One latency-routed entry of `api.<domain>`: clients nearest to
 * `latencyLabel` resolve to the region's weighted pair. Alias records have no
 * TTL of their own and `evaluate_target_health` skips a region whose records
 * are all unhealthy.
 */
export class LatencyAliasRecord extends Construct {
  constructor(scope: Construct, id: string, props: LatencyAliasRecordProps) {
    super(scope, id);
    new Route53Record(this, 'record', {
      zoneId: props.zoneId,
      name: props.apiHostname,
      type: 'A',
      setIdentifier: props.latencyLabel,
      latencyRoutingPolicy: { region: props.latencyLabel },
      alias: { name: props.regionalHostname, zoneId: props.zoneId, evaluateTargetHealth: true },
    });
  }
}
