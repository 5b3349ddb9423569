import { cidrContains, cidrSubnet, cidrsOverlap, isCidr } from '../../../constructs/common/cidr';

describe('cidr', () => {
  it('accepts network addresses and refuses host bits, bad octets and bad prefixes', () => {
    expect(isCidr('10.0.0.0/16')).toBe(true);
    expect(isCidr('10.0.0.1/16')).toBe(false);
    expect(isCidr('10.0.256.0/24')).toBe(false);
    expect(isCidr('10.0.0.0/33')).toBe(false);
    expect(isCidr('10.0.0.0')).toBe(false);
  });

  it('detects overlap in both directions and only when ranges share addresses', () => {
    expect(cidrsOverlap('10.0.0.0/16', '10.0.255.0/24')).toBe(true);
    expect(cidrsOverlap('10.0.255.0/24', '10.0.0.0/16')).toBe(true);
    expect(cidrsOverlap('10.0.0.0/16', '10.1.0.0/16')).toBe(false);
    expect(cidrsOverlap('192.168.0.0/24', '192.168.1.0/24')).toBe(false);
  });

  it('computes subnets like Terraform cidrsubnet()', () => {
    expect(cidrSubnet('10.0.0.0/16', 2, 0)).toBe('10.0.0.0/18');
    expect(cidrSubnet('10.0.0.0/16', 2, 3)).toBe('10.0.192.0/18');
    expect(cidrSubnet('10.0.192.0/18', 2, 1)).toBe('10.0.208.0/20');
    expect(cidrSubnet('200.0.0.0/8', 8, 255)).toBe('200.255.0.0/16');
    expect(() => cidrSubnet('10.0.0.0/30', 4, 0)).toThrow(/would be \/34/);
    expect(() => cidrSubnet('10.0.0.0/16', 2, 4)).toThrow(/outside the 4 subnets/);
  });

  it('tells containment', () => {
    expect(cidrContains('10.4.0.0/16', '10.4.0.0/20')).toBe(true);
    expect(cidrContains('10.4.0.0/20', '10.4.0.0/16')).toBe(false);
  });
});
