/** The global stack's Route53 resources, made in moto through the Route53 API: zone, health checks, record tree. */
import { GetHealthCheckCommand, ListResourceRecordSetsCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { createGlobalRecords, readWeights, route53Client } from '../../scripts/local/dns-records';
import { localTopology } from '../../scripts/local/topology';
import { startMoto, type Peer } from '../helpers/peers';

jest.setTimeout(30_000);

const topology = localTopology();
const domain = topology.environment.domain;
let moto: Peer;
let records: ResourceRecordSet[];
let zoneId: string;

beforeAll(async () => {
  moto = await startMoto();
  const client = route53Client(moto.url);
  zoneId = await createGlobalRecords(client, topology);
  records = (await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? [];
});

afterAll(() => moto.stop());

const named = (name: string): ResourceRecordSet[] => records.filter((record) => record.Name === `${name}.`);

describe('createGlobalRecords', () => {
  it('gives each <region>.api name a weighted self/spill pair, spilling to the next region by role, each record health-checked', async () => {
    const client = route53Client(moto.url);
    for (const [index, region] of topology.regions.entries()) {
      const next = topology.regions[(index + 1) % topology.regions.length];
      const pair = named(`${region.name}.api.${domain}`);
      expect(pair.map((record) => [record.SetIdentifier, record.Weight]).sort()).toEqual([[`${region.name}-self`, 100], [`${region.name}-spill`, 0]]);
      const self = pair.find((record) => record.SetIdentifier === `${region.name}-self`);
      const spill = pair.find((record) => record.SetIdentifier === `${region.name}-spill`);
      // The spill record answers with the next region's address and carries that region's health check.
      const nextSelf = named(`${next.name}.api.${domain}`).find((record) => record.SetIdentifier === `${next.name}-self`);
      expect(spill?.ResourceRecords).toEqual(nextSelf?.ResourceRecords);
      expect(spill?.HealthCheckId).toBe(nextSelf?.HealthCheckId);
      const check = await client.send(new GetHealthCheckCommand({ HealthCheckId: self?.HealthCheckId }));
      expect(check.HealthCheck?.HealthCheckConfig).toMatchObject({ Type: 'HTTPS', FullyQualifiedDomainName: `${region.name}.api.${domain}`, ResourcePath: '/health', FailureThreshold: 3 });
      expect(await readWeights(client, zoneId, domain, region.name)).toEqual({ self: 100, spill: 0 });
    }
  });

  it('routes api.<domain> by latency label to each region\'s pair, evaluating target health', () => {
    expect(named(`api.${domain}`).map((record) => [record.SetIdentifier, record.Region, record.AliasTarget?.DNSName?.replace(/\.$/, ''), record.AliasTarget?.EvaluateTargetHealth])).toEqual(
      topology.regions.map((region) => [region.latencyLabel, region.latencyLabel, `${region.name}.api.${domain}`, true]),
    );
  });

  it('points <region>.control at the region\'s own address', () => {
    for (const region of topology.regions) {
      const self = named(`${region.name}.api.${domain}`).find((record) => record.SetIdentifier === `${region.name}-self`);
      expect(named(`${region.name}.control.${domain}`).map((record) => record.ResourceRecords)).toEqual([self?.ResourceRecords]);
    }
  });
});
