/**
 * The global stack's Route53 resources (stacks/global-stack.ts), made through the Route53 API of the local moto
 * instead of Terraform: the hosted zone of the domain, one HTTPS health check per regional endpoint, and the
 * record tree of DESIGN § 7 — `<region>.api.<domain>` as a weighted self/spill pair (each record carrying its
 * addresses' health check), `api.<domain>` latency aliases over those pairs, and `<region>.control.<domain>`.
 * The failover controllers then move the pairs' weights exactly as they would in Route53.
 */
import {
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type Change,
  type HealthCheckRegion,
  type ResourceRecordSetRegion,
} from '@aws-sdk/client-route-53';
import { globalApiHostname, regionalApiHostname, regionalControlHostname } from '../../constructs/common/hostnames';
import { HEALTH_CHECK_FAILURE_THRESHOLD, HEALTH_PATH } from '../../constructs/dns/endpoint-health-check';
import { SELF_WEIGHT, SPILL_WEIGHT } from '../../constructs/dns/regional-endpoint-records';
import type { Topology } from './topology';

/** moto accepts any static credentials; Route53 is signed for us-east-1 like the real, global, service. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'skyline-local', secretAccessKey: 'skyline-local' } as const;

export function route53Client(motoUrl: string): Route53Client {
  return new Route53Client({ endpoint: motoUrl, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
}

export interface Weights {
  readonly self: number;
  readonly spill: number;
}

/**
 * The gateway address of each region in the records: TEST-NET-1 (RFC 5737) placeholders, one per region in role
 * order. DNS records cannot carry a port, and nothing resolves these names locally: the controllers probe the
 * stand-ins at 127.0.0.1:<port> from their config, as they probe the reserved addresses in a cluster.
 */
function placeholderAddress(index: number): string {
  return `192.0.2.${10 + index}`;
}

/** Creates the zone with the global stack's health checks and records; returns the zone ID. */
export async function createGlobalRecords(client: Route53Client, topology: Topology): Promise<string> {
  const { domain, dns } = topology.environment;
  const zone = await client.send(new CreateHostedZoneCommand({ Name: domain, CallerReference: `skyline-local-${Date.now()}`, HostedZoneConfig: { Comment: 'Skyline local' } }));
  const zoneId = (zone.HostedZone?.Id ?? '').replace('/hostedzone/', '');
  if (zoneId === '') throw new Error(`moto created no hosted zone for ${domain}`);

  const endpoints = await Promise.all(
    topology.regions.map(async (region, index) => {
      const hostname = regionalApiHostname(domain, region.name);
      const address = placeholderAddress(index);
      const check = await client.send(
        new CreateHealthCheckCommand({
          CallerReference: `skyline-local-${region.name}-${Date.now()}`,
          HealthCheckConfig: {
            Type: 'HTTPS',
            IPAddress: address,
            FullyQualifiedDomainName: hostname,
            EnableSNI: true,
            Port: 443,
            ResourcePath: HEALTH_PATH,
            FailureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
            RequestInterval: dns.healthCheckIntervalSeconds,
            Regions: dns.healthCheckRegions as HealthCheckRegion[],
            MeasureLatency: dns.measureLatency,
          },
        }),
      );
      const healthCheckId = check.HealthCheck?.Id;
      if (healthCheckId === undefined) throw new Error(`moto created no health check for ${hostname}`);
      return { region, hostname, address, healthCheckId };
    }),
  );

  const changes: Change[] = [];
  endpoints.forEach((endpoint, index) => {
    const spill = endpoints[(index + 1) % endpoints.length];
    const weighted = (identifier: string, weight: number, target: typeof endpoint): Change => ({
      Action: 'CREATE',
      ResourceRecordSet: {
        Name: endpoint.hostname,
        Type: 'A',
        SetIdentifier: identifier,
        Weight: weight,
        TTL: dns.recordTtlSeconds,
        ResourceRecords: [{ Value: target.address }],
        HealthCheckId: target.healthCheckId,
      },
    });
    changes.push(weighted(`${endpoint.region.name}-self`, SELF_WEIGHT, endpoint), weighted(`${endpoint.region.name}-spill`, SPILL_WEIGHT, spill));
    changes.push({
      Action: 'CREATE',
      ResourceRecordSet: {
        Name: globalApiHostname(domain),
        Type: 'A',
        SetIdentifier: endpoint.region.latencyLabel,
        Region: endpoint.region.latencyLabel as ResourceRecordSetRegion,
        AliasTarget: { HostedZoneId: zoneId, DNSName: endpoint.hostname, EvaluateTargetHealth: true },
      },
    });
    changes.push({
      Action: 'CREATE',
      ResourceRecordSet: { Name: regionalControlHostname(domain, endpoint.region.name), Type: 'A', TTL: dns.recordTtlSeconds, ResourceRecords: [{ Value: endpoint.address }] },
    });
  });
  await client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: 'Skyline local: the global stack\'s record tree', Changes: changes } }));
  return zoneId;
}

/** The weights of `<region>.api.<domain>` as Route53 (moto) has them now. */
export async function readWeights(client: Route53Client, zoneId: string, domain: string, region: string): Promise<Weights> {
  const name = `${regionalApiHostname(domain, region)}.`;
  const output = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, StartRecordType: 'A' }));
  const weight = (identifier: string): number => {
    const record = (output.ResourceRecordSets ?? []).find((candidate) => candidate.Name === name && candidate.SetIdentifier === identifier);
    if (record?.Weight === undefined) throw new Error(`zone ${zoneId} has no ${identifier} record for ${name}`);
    return record.Weight;
  };
  return { self: weight(`${region}-self`), spill: weight(`${region}-spill`) };
}
