import { loadEnvironment } from '../../stacks/environments/load';
import { policyOf, resourcesOfType, synthEnvironment, type TerraformJson } from '../helpers/synth';
import { Testing } from 'cdktf';
import { addEnvironment } from '../../stacks/skyline-app';

type Resource = Record<string, unknown>;

function records(stack: TerraformJson): Resource[] {
  return resourcesOfType(stack, 'aws_route53_record');
}

describe('GlobalStack', () => {
  const dev = synthEnvironment('dev')['dev-global'];
  const prod = synthEnvironment('prod')['prod-global'];

  it('creates the hosted zone for the domain, or uses an existing one by ID', () => {
    expect(resourcesOfType(dev, 'aws_route53_zone')).toEqual([expect.objectContaining({ name: 'ml.example.com', force_destroy: false })]);
    const existing = addEnvironment(Testing.app(), loadEnvironment('dev', { config: [{ dns: { hostedZoneId: 'Z0123456789ABCDEFGHIJ' } }] }));
    const global = JSON.parse(Testing.synth(existing.find((stack) => stack.node.id === 'dev-global')!)) as TerraformJson;
    expect(resourcesOfType(global, 'aws_route53_zone')).toEqual([]);
    expect(Object.values(global.data?.aws_route53_zone ?? {})).toEqual([expect.objectContaining({ zone_id: 'Z0123456789ABCDEFGHIJ' })]);
  });

  it('signs the zone it creates with DNSSEC and logs its queries; an existing zone is left as its owner set it', () => {
    expect(resourcesOfType(prod, 'aws_route53_hosted_zone_dnssec')).toEqual([expect.objectContaining({ signing_status: 'SIGNING' })]);
    expect(resourcesOfType(prod, 'aws_route53_query_log')).toHaveLength(1);
    expect(resourcesOfType(prod, 'aws_cloudwatch_log_group')).toEqual([expect.objectContaining({ name: '/aws/route53/prod.ml.example.com', retention_in_days: 365 })]);
    expect(prod.output?.['dnssec-ds-record']).toBeDefined();
    const existing = addEnvironment(Testing.app(), loadEnvironment('dev', { config: [{ dns: { hostedZoneId: 'Z0123456789ABCDEFGHIJ' } }] }));
    const global = JSON.parse(Testing.synth(existing.find((stack) => stack.node.id === 'dev-global')!)) as TerraformJson;
    expect(resourcesOfType(global, 'aws_route53_hosted_zone_dnssec')).toEqual([]);
    expect(resourcesOfType(global, 'aws_route53_query_log')).toEqual([]);
  });

  it('checks every regional endpoint over HTTPS /health with SNI, threshold 3, from at least 3 checker regions', () => {
    const checks = resourcesOfType(prod, 'aws_route53_health_check');
    expect(checks.map((check) => check.fqdn).sort()).toEqual(['centralindia.api.prod.ml.example.com', 'europe-west1.api.prod.ml.example.com', 'us-west-2.api.prod.ml.example.com']);
    for (const check of checks) {
      expect(check).toMatchObject({ type: 'HTTPS', port: 443, resource_path: '/health', failure_threshold: 3, enable_sni: true, measure_latency: false, request_interval: 10 });
      expect((check.regions as string[]).length).toBeGreaterThanOrEqual(3);
      expect(check.ip_address).toMatch(/^\$\{data\.terraform_remote_state\..*(aws_eip|google_compute_address|azurerm_public_ip)/);
    }
    expect(resourcesOfType(dev, 'aws_route53_health_check').every((check) => check.request_interval === 30)).toBe(true);
  });

  it('alarms on every health check', () => {
    const alarms = resourcesOfType(dev, 'aws_cloudwatch_metric_alarm');
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({ namespace: 'AWS/Route53', metric_name: 'HealthCheckStatus', comparison_operator: 'LessThanThreshold', threshold: 1, treat_missing_data: 'breaching' });
    }
  });

  it('routes api.<domain> by latency to each region, aliasing its weighted pair with target health evaluated', () => {
    const latency = records(dev).filter((record) => record.name === 'api.ml.example.com');
    expect(latency.map((record) => [record.set_identifier, (record.alias as Resource).name]).sort()).toEqual([
      ['ap-south-1', 'centralindia.api.ml.example.com'],
      ['eu-west-1', 'europe-west1.api.ml.example.com'],
      ['us-west-2', 'us-west-2.api.ml.example.com'],
    ]);
    for (const record of latency) {
      expect(record.latency_routing_policy).toEqual({ region: record.set_identifier });
      expect((record.alias as Resource).evaluate_target_health).toBe(true);
    }
  });

  it('gives each region a self (100) / spill (0) pair, spilling to the next region by role, TTL <= 60 s', () => {
    const weighted = records(dev).filter((record) => record.weighted_routing_policy);
    const pairs = Object.fromEntries(weighted.map((record) => [record.set_identifier, record]));
    expect(Object.keys(pairs).sort()).toEqual(['centralindia-self', 'centralindia-spill', 'europe-west1-self', 'europe-west1-spill', 'us-west-2-self', 'us-west-2-spill']);
    for (const record of weighted) {
      expect(record.ttl).toBeLessThanOrEqual(60);
      expect(record.lifecycle).toEqual({ ignore_changes: ['weighted_routing_policy'] });
      expect(record.health_check_id).toMatch(/aws_route53_health_check\./);
    }
    expect(pairs['us-west-2-self'].weighted_routing_policy).toEqual({ weight: 100 });
    expect(pairs['us-west-2-spill'].weighted_routing_policy).toEqual({ weight: 0 });
    // primary -> secondary -> tertiary -> primary
    expect(JSON.stringify(pairs['us-west-2-spill'].records)).toMatch(/google_compute_address/);
    expect(JSON.stringify(pairs['europe-west1-spill'].records)).toMatch(/azurerm_public_ip/);
    expect(JSON.stringify(pairs['centralindia-spill'].records)).toMatch(/aws_eip/);
    expect(pairs['us-west-2-self'].records).toHaveLength(3);
  });

  it('lets each failover controller UPSERT only the regional A records of this zone', () => {
    const policies = resourcesOfType(dev, 'aws_iam_role_policy');
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      const write = policyOf(policy).Statement.find((statement) => statement.Sid === 'MoveRegionalWeightsOnly')!;
      expect(write.Resource).toEqual(['${aws_route53_zone.zone.arn}']);
      expect(write.Condition).toEqual({
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
          'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['us-west-2.api.ml.example.com', 'europe-west1.api.ml.example.com', 'centralindia.api.ml.example.com'],
        },
      });
    }
    expect(policies.map((policy) => policy.role).join(' ')).toMatch(/identity-failover.*failover-identity.*failover-identity|failover-identity.*identity-failover/);
  });

  it('publishes <region>.control.<domain> on each region\'s own addresses, never moved by failover', () => {
    const control = records(dev).filter((record) => String(record.name).includes('.control.'));
    expect(control.map((record) => record.name).sort()).toEqual(['centralindia.control.ml.example.com', 'europe-west1.control.ml.example.com', 'us-west-2.control.ml.example.com']);
    for (const record of control) {
      expect(record.weighted_routing_policy).toBeUndefined();
      expect(record.ttl).toBeLessThanOrEqual(60);
    }
    expect(JSON.stringify(control.find((record) => record.name === 'us-west-2.control.ml.example.com')!.records)).toMatch(/aws_eip/);
  });
});
