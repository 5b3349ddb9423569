/**
 * The public names of the API (DESIGN § 7): `api.<domain>` is the global
 * latency-routed name; `<region>.api.<domain>` addresses one region (its
 * weighted self/spill set, which failover moves). `<region>.control.<domain>`
 * always points at its own region: the failover controllers read each other's
 * observations there. Region names are the providers' own.
 */
export function globalApiHostname(domain: string): string {
  return `api.${domain}`;
}

export function regionalApiHostname(domain: string, region: string): string {
  return `${region}.api.${domain}`;
}

export function regionalControlHostname(domain: string, region: string): string {
  return `${region}.control.${domain}`;
}
