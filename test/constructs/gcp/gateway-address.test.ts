import { TerraformOutput } from 'cdktf';
import { GcpGatewayAddress } from '../../../constructs/gcp/gateway-address';
import { onlyResourceOfType, parse, synthConstructs } from '../../helpers/synth';

describe('GcpGatewayAddress', () => {
  it('reserves a regional external Premium-tier address and binds it through loadBalancerIP', () => {
    const synthesized = synthConstructs((scope) => {
      const address = new GcpGatewayAddress(scope, 'gateway-address', { name: 'skyline-test', region: 'europe-west1' });
      new TerraformOutput(scope, 'binding', { value: address.binding });
    });
    expect(onlyResourceOfType(synthesized, 'google_compute_address')).toMatchObject({
      name: 'skyline-test-gateway', region: 'europe-west1', address_type: 'EXTERNAL', network_tier: 'PREMIUM',
    });
    const binding = parse(synthesized).output?.binding.value as { publicIps: string[] };
    expect(binding).toEqual({ publicIps: [expect.stringMatching(/google_compute_address\..*\.address\}$/)], serviceAnnotations: {}, loadBalancerIp: binding.publicIps[0] });
  });
});
