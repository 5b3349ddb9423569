import { AwsNetwork, type AwsNetworkProps } from '../../../constructs/aws/network';
import { EncryptionKey } from '../../../constructs/aws/encryption-key';
import { onlyResourceOfType, resourcesOfType, synthConstructs } from '../../helpers/synth';

function synthNetwork(overrides: Partial<AwsNetworkProps> = {}): string {
  return synthConstructs((scope) => {
    const logEncryptionKey = new EncryptionKey(scope, 'log-key', { alias: 'logs', description: 'logs', accountId: '111111111111' });
    new AwsNetwork(scope, 'network', {
      name: 'skyline-test',
      vpcCidr: '10.0.0.0/16',
      zones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      natGatewayPerZone: false,
      clusterName: 'skyline-test',
      flowLogRetentionDays: 30,
      logEncryptionKey,
      ...overrides,
    });
  });
}

describe('aws AwsNetwork', () => {
  const synthesized = synthNetwork();
  const subnets = resourcesOfType(synthesized, 'aws_subnet');
  const tagged = (role: string) => subnets.filter((subnet) => (subnet.tags as Record<string, string>)[role] === '1');

  it('spans three zones with a private and a public subnet in each', () => {
    const privateSubnets = tagged('kubernetes.io/role/internal-elb');
    const publicSubnets = tagged('kubernetes.io/role/elb');
    expect(privateSubnets.map((subnet) => subnet.availability_zone)).toEqual(['us-west-2a', 'us-west-2b', 'us-west-2c']);
    expect(publicSubnets.map((subnet) => subnet.availability_zone)).toEqual(['us-west-2a', 'us-west-2b', 'us-west-2c']);
    expect(privateSubnets.map((subnet) => subnet.cidr_block)).toEqual(['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18']);
    expect(publicSubnets.map((subnet) => subnet.cidr_block)).toEqual(['10.0.192.0/20', '10.0.208.0/20', '10.0.224.0/20']);
  });

  it('never gives instances in public subnets a public address by default', () => {
    expect(tagged('kubernetes.io/role/elb').every((subnet) => subnet.map_public_ip_on_launch === false)).toBe(true);
  });

  it('shares one NAT gateway when not per zone, and has one per zone otherwise', () => {
    expect(resourcesOfType(synthesized, 'aws_nat_gateway')).toHaveLength(1);
    const perZone = synthNetwork({ natGatewayPerZone: true });
    expect(resourcesOfType(perZone, 'aws_nat_gateway')).toHaveLength(3);
    const privateRoutes = resourcesOfType(perZone, 'aws_route_table').filter((table) => String((table.tags as Record<string, string>).Name).includes('private'));
    const gateways = privateRoutes.map((table) => (table.route as Record<string, string>[])[0].nat_gateway_id);
    expect(new Set(gateways).size).toBe(3);
  });

  it('empties the default security group', () => {
    const group = onlyResourceOfType(synthesized, 'aws_default_security_group');
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
  });

  it('logs all traffic to an encrypted log group', () => {
    expect(onlyResourceOfType(synthesized, 'aws_flow_log')).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    expect(onlyResourceOfType(synthesized, 'aws_cloudwatch_log_group')).toMatchObject({ retention_in_days: 30, kms_key_id: expect.stringMatching(/aws_kms_key\./) });
  });
});
