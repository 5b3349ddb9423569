/**
 * The public names of the API (DESIGN § 7): `api.<domain>` is the global
 * latency-routed name; `<region>.api.<domain>` addresses one region (its
 * weighted self/spill set). Region names are the providers' own.
 */
export function globalApiHostname(domain: string): string {
  return `api.${domain}`;
}

export function regionalApiHostname(domain: string, region: string): string {
  return `${region}.api.${domain}`;
}
