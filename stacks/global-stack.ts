import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { globalApiHostname, regionalApiHostname, regionalControlHostname } from '../constructs/common/hostnames';
import { EndpointHealthCheck } from '../constructs/dns/endpoint-health-check';
import { FailoverDnsAccess } from '../constructs/dns/failover-dns-access';
import { LatencyAliasRecord } from '../constructs/dns/latency-alias-record';
import { RegionalEndpointRecords } from '../constructs/dns/regional-endpoint-records';
import { ZoneDnssec } from '../constructs/dns/zone-dnssec';
import { ZoneQueryLogging } from '../constructs/dns/zone-query-logging';
import { configureBackend } from './backend';
import type { AwsRegionConfig, EnvironmentConfig, RegionConfig } from './environments/schema';
import type { RegionalInfra } from './regional-infra';
import { inRoleOrder } from './region-order';
import type { WorkloadsStack } from './workloads-stack';

export interface GlobalRegion {
  readonly regionKey: string;
  readonly region: RegionConfig;
  /** Where the region's public addresses come from. */
  readonly infra: RegionalInfra & TerraformStack;
  /** Whose failover controller gets Route53 access. */
  readonly workloads: WorkloadsStack;
}

export interface GlobalStackProps {
  readonly environment: EnvironmentConfig;
  readonly regions: readonly GlobalRegion[];
  /** The AWS account that owns Route53. */
  readonly dnsAccount: AwsRegionConfig;
}

/**
 * `<env>-global`: the hosted zone (DNSSEC-signed and query-logged when created
 * here), one health check per regional endpoint, and the record tree of
 * DESIGN § 7 (`api.<domain>` latency → `<region>.api.<domain>` weighted
 * self/spill pairs), plus the failover controllers' access to the weights.
 * Deployed after the workloads stacks.
 */
export class GlobalStack extends TerraformStack {
  readonly zoneId: string;

  constructor(scope: Construct, id: string, props: GlobalStackProps) {
    super(scope, id);
    const { environment, dnsAccount } = props;
    configureBackend(this, id, environment.backend);
    // Health checks and records should point at gateways that already serve: deploy after every workloads stack.
    for (const entry of props.regions) this.addDependency(entry.workloads);
    // Route53 is global, but its health-check metrics (and so the alarms) exist in us-east-1 only.
    new AwsProvider(this, 'aws', {
      region: 'us-east-1',
      allowedAccountIds: [dnsAccount.accountId],
      defaultTags: [{ tags: { ...environment.tags, 'managed-by': 'cdktf' } }],
    });

    const zone = environment.dns.hostedZoneId
      ? new DataAwsRoute53Zone(this, 'zone', { zoneId: environment.dns.hostedZoneId })
      : new Route53Zone(this, 'zone', { name: environment.domain, comment: `Skyline ${environment.name}`, forceDestroy: false });
    this.zoneId = zone.zoneId;

    // Each region spills to the next by role (primary -> secondary -> tertiary -> primary).
    const regions = inRoleOrder(props.regions);
    const endpoints = regions.map((entry) => {
      const hostname = regionalApiHostname(environment.domain, entry.region.region);
      const check = new EndpointHealthCheck(this, `health-check-${entry.regionKey}`, {
        regionName: entry.region.region,
        ipAddress: entry.infra.gatewayAddress.publicIps[0],
        hostname,
        intervalSeconds: environment.dns.healthCheckIntervalSeconds,
        checkerRegions: environment.dns.healthCheckRegions,
        measureLatency: environment.dns.measureLatency,
      });
      return { ...entry, hostname, addresses: entry.infra.gatewayAddress.publicIps, healthCheckId: check.healthCheckId };
    });

    endpoints.forEach((endpoint, index) => {
      const spill = endpoints[(index + 1) % endpoints.length];
      new RegionalEndpointRecords(this, `records-${endpoint.regionKey}`, {
        zoneId: this.zoneId,
        regionName: endpoint.region.region,
        hostname: endpoint.hostname,
        self: { addresses: endpoint.addresses, healthCheckId: endpoint.healthCheckId },
        spill: { addresses: spill.addresses, healthCheckId: spill.healthCheckId },
        ttlSeconds: environment.dns.recordTtlSeconds,
      });
      new LatencyAliasRecord(this, `latency-${endpoint.regionKey}`, {
        zoneId: this.zoneId,
        apiHostname: globalApiHostname(environment.domain),
        latencyLabel: endpoint.region.latencyLabel,
        regionalHostname: endpoint.hostname,
      });
      // Where the other regions' failover controllers read this region's observations: never moved by failover.
      new Route53Record(this, `control-${endpoint.regionKey}`, {
        zoneId: this.zoneId,
        name: regionalControlHostname(environment.domain, endpoint.region.region),
        type: 'A',
        ttl: environment.dns.recordTtlSeconds,
        records: [...endpoint.addresses],
      });
      new FailoverDnsAccess(this, `failover-access-${endpoint.regionKey}`, {
        roleName: endpoint.workloads.failoverIdentity.role.name,
        zoneArn: zone.arn,
        hostnames: endpoints.map((entry) => entry.hostname),
      });
    });

    new TerraformOutput(this, 'zone-id', { value: this.zoneId });
    if (!environment.dns.hostedZoneId) {
      new TerraformOutput(this, 'name-servers', { value: (zone as Route53Zone).nameServers, description: `Delegate ${environment.domain} to these` });
      // A zone we create is ours to sign and to log; an existing zone keeps whatever its owner configured.
      new ZoneQueryLogging(this, 'query-logging', {
        zoneId: this.zoneId,
        zoneName: environment.domain,
        accountId: dnsAccount.accountId,
        retentionDays: environment.logRetentionDays,
      });
      const dnssec = new ZoneDnssec(this, 'dnssec', { zoneId: this.zoneId, accountId: dnsAccount.accountId, retainKeyOnDestroy: environment.deletionProtection });
      new TerraformOutput(this, 'dnssec-ds-record', { value: dnssec.dsRecord, description: `Publish in the parent zone of ${environment.domain} to complete DNSSEC` });
    }
  }
}
