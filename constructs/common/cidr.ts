/**
 * IPv4 CIDR arithmetic used by config validation (overlap checks) and by the
 * network constructs (carving subnets). Plans stay readable because subnet
 * ranges are computed here, at synth time, instead of with `cidrsubnet()`.
 */

export interface Ipv4Range {
  /** First address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when malformed or when host bits are set. */
export function parseCidr(cidr: string): Ipv4Range | undefined {
  const match = CIDR_PATTERN.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefixLength > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  if ((address & ~netmask(prefixLength)) >>> 0 !== 0) return undefined;
  return { network: address, prefixLength };
}

export function isCidr(cidr: string): boolean {
  return parseCidr(cidr) !== undefined;
}

export function formatCidr(range: Ipv4Range): string {
  const a = range.network;
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${range.prefixLength}`;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const ra = mustParse(a);
  const rb = mustParse(b);
  const shorter = Math.min(ra.prefixLength, rb.prefixLength);
  const mask = netmask(shorter);
  return ((ra.network & mask) >>> 0) === ((rb.network & mask) >>> 0);
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const ro = mustParse(outer);
  const ri = mustParse(inner);
  return ri.prefixLength >= ro.prefixLength && cidrsOverlap(outer, inner);
}

/**
 * The `index`-th subnet of `cidr` with `newBits` more prefix bits, like
 * Terraform's `cidrsubnet(cidr, newBits, index)`.
 */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const range = mustParse(cidr);
  const prefixLength = range.prefixLength + newBits;
  if (prefixLength > 32) {
    throw new Error(`cidrSubnet: ${cidr} cannot be split by ${newBits} more bits (would be /${prefixLength})`);
  }
  if (index < 0 || index >= 2 ** newBits) {
    throw new Error(`cidrSubnet: index ${index} is outside the ${2 ** newBits} subnets of ${cidr} with ${newBits} new bits`);
  }
  const network = (range.network + index * 2 ** (32 - prefixLength)) >>> 0;
  return formatCidr({ network, prefixLength });
}

function mustParse(cidr: string): Ipv4Range {
  const range = parseCidr(cidr);
  if (!range) throw new Error(`"${cidr}" is not an IPv4 CIDR such as 10.0.0.0/16`);
  return range;
}

function netmask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}
