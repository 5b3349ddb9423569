import { AwsGatewayAddress } from '../../../constructs/aws/gateway-address';
import { resourcesOfType, synthConstructs } from '../../helpers/synth';

describe('AwsGatewayAddress', () => {
  it('reserves one Elastic IP per zone and pairs them with the public subnets, in zone order', () => {
    let binding: AwsGatewayAddress['binding'] | undefined;
    const synthesized = synthConstructs((scope) => {
      binding = new AwsGatewayAddress(scope, 'gateway-address', { name: 'skyline-test', zones: ['us-west-2a', 'us-west-2b'], publicSubnetIds: ['subnet-a', 'subnet-b'] }).binding;
    });
    expect(resourcesOfType(synthesized, 'aws_eip')).toHaveLength(2);
    expect(binding?.serviceAnnotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      'service.beta.kubernetes.io/aws-load-balancer-subnets': 'subnet-a,subnet-b',
    });
    const allocations = binding!.serviceAnnotations['service.beta.kubernetes.io/aws-load-balancer-eip-allocations'].split(',');
    expect(allocations).toHaveLength(2);
    expect(binding?.loadBalancerIp).toBeUndefined();
  });
});
