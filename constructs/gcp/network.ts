import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { Construct } from 'constructs';

export interface GcpNetworkProps {
  /** Name of the VPC; the subnet, router and NAT are named after it. */
  readonly name: string;
  /** Region of the subnet, router and NAT. */
  readonly region: string;
  /** Primary range of the subnet: node addresses. */
  readonly subnetCidr: string;
  /** Secondary range `pods`: one address per pod (VPC-native GKE). */
  readonly podCidr: string;
  /** Secondary range `services`: Kubernetes ClusterIP addresses. */
  readonly serviceCidr: string;
}

/**
 * A custom-mode VPC with one regional subnet for a VPC-native GKE cluster
 * (secondary ranges for pods and services), Private Google Access so private
 * nodes reach Google APIs without NAT, VPC flow logs, and Cloud NAT for all
 * other egress. Nodes get no public addresses, so Cloud NAT is their only way out.
 * An explicit, logged deny-all ingress rule sits just above GCP's implied one.
 */
export class GcpNetwork extends Construct {
  readonly network: ComputeNetwork;
  readonly subnetwork: ComputeSubnetwork;
  /** `projects/<p>/global/networks/<name>`. */
  readonly networkId: string;
  /** `projects/<p>/regions/<r>/subnetworks/<name>`. */
  readonly subnetworkId: string;
  /** Secondary range of the subnet that GKE takes pod addresses from. */
  readonly podRangeName = 'pods';
  /** Secondary range of the subnet that GKE takes ClusterIP addresses from. */
  readonly serviceRangeName = 'services';

  constructor(scope: Construct, id: string, props: GcpNetworkProps) {
    super(scope, id);
    this.network = new ComputeNetwork(this, 'network', {
      name: props.name,
      // Custom mode: an auto-mode VPC would add a subnet in every region, with ranges we do not choose.
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
    });
    this.subnetwork = new ComputeSubnetwork(this, 'subnetwork', {
      name: `${props.name}-${props.region}`,
      network: this.network.id,
      region: props.region,
      ipCidrRange: props.subnetCidr,
      secondaryIpRange: [
        { rangeName: this.podRangeName, ipCidrRange: props.podCidr },
        { rangeName: this.serviceRangeName, ipCidrRange: props.serviceCidr },
      ],
      privateIpGoogleAccess: true,
      // A log_config block is what turns flow logs on; these are GCP's defaults, written out so the plan shows them.
      logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
    });
    this.networkId = this.network.id;
    this.subnetworkId = this.subnetwork.id;
    // GCP's implied deny (priority 65535) cannot log. The same deny one step above it does, so refused connections
    // show up in Cloud Logging; GKE's own allow rules (priority 1000) and anything added later still come first.
    new ComputeFirewall(this, 'deny-ingress', {
      name: `${props.name}-deny-ingress`,
      network: this.network.id,
      direction: 'INGRESS',
      priority: 65534,
      deny: [{ protocol: 'all' }],
      sourceRanges: ['0.0.0.0/0'],
      logConfig: { metadata: 'INCLUDE_ALL_METADATA' },
    });

    const router = new ComputeRouter(this, 'router', {
      name: `${props.name}-${props.region}`,
      network: this.network.id,
      region: props.region,
    });
    new ComputeRouterNat(this, 'nat', {
      name: `${props.name}-${props.region}`,
      router: router.name,
      region: props.region,
      natIpAllocateOption: 'AUTO_ONLY',
      // Pod ranges too: pods egress with their own addresses on VPC-native clusters.
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });
  }
}
