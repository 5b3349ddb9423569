/**
 * The contract between an infra stack, which reserves the public address of a
 * region, and the workloads stack, whose gateway Service must come up on
 * exactly that address: what to put on the Service, per cloud.
 */
export interface GatewayAddressBinding {
  /** The region's public IPv4 addresses (Route53 points at these). */
  readonly publicIps: readonly string[];
  /** Annotations for the gateway's `Service` of type `LoadBalancer`. */
  readonly serviceAnnotations: Readonly<Record<string, string>>;
  /** `spec.loadBalancerIP`, on clouds that bind an address that way. */
  readonly loadBalancerIp?: string;
}
