import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { GcpNetwork } from '../../../constructs/gcp/network';
import { onlyResourceOfType, synthConstructs } from '../../helpers/synth';

const props = { name: 'skyline-test', region: 'europe-west1', subnetCidr: '10.1.0.0/20', podCidr: '10.2.0.0/16', serviceCidr: '10.1.16.0/20' };

describe('gcp GcpNetwork', () => {
  const synthesized = synthConstructs((scope) => new GcpNetwork(scope, 'network', props));

  it('creates a custom-mode VPC with regional routing', () => {
    expect(synthesized).toHaveResourceWithProperties(ComputeNetwork, {
      name: 'skyline-test',
      auto_create_subnetworks: false,
      routing_mode: 'REGIONAL',
    });
  });

  it('gives the subnet its node range and the pods and services secondary ranges', () => {
    const subnet = onlyResourceOfType(synthesized, 'google_compute_subnetwork');
    expect(subnet).toMatchObject({ region: 'europe-west1', ip_cidr_range: '10.1.0.0/20' });
    expect(subnet.secondary_ip_range).toEqual([
      { range_name: 'pods', ip_cidr_range: '10.2.0.0/16' },
      { range_name: 'services', ip_cidr_range: '10.1.16.0/20' },
    ]);
    expect(subnet.network).toMatch(/^\$\{google_compute_network\.network_\w+\.id\}$/);
  });

  it('denies all ingress explicitly, logged, just above the implied rule so GKE\'s allow rules still win', () => {
    expect(synthesized).toHaveResourceWithProperties(ComputeFirewall, {
      name: 'skyline-test-deny-ingress',
      direction: 'INGRESS',
      priority: 65534,
      deny: [{ protocol: 'all' }],
      source_ranges: ['0.0.0.0/0'],
      log_config: { metadata: 'INCLUDE_ALL_METADATA' },
    });
    const firewall = onlyResourceOfType(synthesized, 'google_compute_firewall');
    expect(firewall.allow).toBeUndefined();
    expect(firewall.network).toMatch(/^\$\{google_compute_network\.network_\w+\.id\}$/);
  });

  it('turns on Private Google Access, so private nodes reach Google APIs without NAT', () => {
    expect(onlyResourceOfType(synthesized, 'google_compute_subnetwork').private_ip_google_access).toBe(true);
  });

  it('turns on VPC flow logs with all metadata', () => {
    expect(onlyResourceOfType(synthesized, 'google_compute_subnetwork').log_config).toEqual({
      aggregation_interval: 'INTERVAL_5_SEC',
      flow_sampling: 0.5,
      metadata: 'INCLUDE_ALL_METADATA',
    });
  });

  it('gives every range of every subnet egress through Cloud NAT with automatic addresses, logging errors', () => {
    const router = onlyResourceOfType(synthesized, 'google_compute_router');
    expect(router).toMatchObject({ region: 'europe-west1' });
    expect(onlyResourceOfType(synthesized, 'google_compute_router_nat')).toMatchObject({
      region: 'europe-west1',
      router: expect.stringMatching(/^\$\{google_compute_router\.network_router_\w+\.name\}$/),
      nat_ip_allocate_option: 'AUTO_ONLY',
      source_subnetwork_ip_ranges_to_nat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      log_config: { enable: true, filter: 'ERRORS_ONLY' },
    });
  });

  it('exposes the secondary range names the cluster needs', () => {
    synthConstructs((scope) => {
      const network = new GcpNetwork(scope, 'network', props);
      expect([network.podRangeName, network.serviceRangeName]).toEqual(['pods', 'services']);
    });
  });
});
