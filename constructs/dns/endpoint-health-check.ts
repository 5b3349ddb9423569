import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Construct } from 'constructs';

/** Route53 considers an endpoint failed after this many consecutive failed checks (DESIGN § 7). */
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;
export const HEALTH_PATH = '/health';

export interface EndpointHealthCheckProps {
  /** Provider region name, for names and tags (`us-west-2`). */
  readonly regionName: string;
  /** The public address checked: the region's reserved gateway address. */
  readonly ipAddress: string;
  /** Sent as SNI and Host, so the gateway serves its certificate and routes the check: `<region>.api.<domain>`. */
  readonly hostname: string;
  readonly intervalSeconds: 10 | 30;
  /** At least three Route53 checker regions. */
  readonly checkerRegions: readonly string[];
  /** @default false (latency graphs cost extra) */
  readonly measureLatency?: boolean;
}

/**
 * The data-plane safety net of one regional endpoint: an HTTPS check of
 * `GET /health` on its static address from several checker regions, failing
 * after 3 consecutive failures, attached to that region's DNS records; and a
 * CloudWatch alarm on it, so a failing region is noticed even when nothing
 * else is watching.
 */
export class EndpointHealthCheck extends Construct {
  readonly healthCheck: Route53HealthCheck;
  readonly healthCheckId: string;

  constructor(scope: Construct, id: string, props: EndpointHealthCheckProps) {
    super(scope, id);
    this.healthCheck = new Route53HealthCheck(this, 'health-check', {
      type: 'HTTPS',
      ipAddress: props.ipAddress,
      fqdn: props.hostname,
      enableSni: true,
      port: 443,
      resourcePath: HEALTH_PATH,
      failureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
      requestInterval: props.intervalSeconds,
      regions: [...props.checkerRegions],
      measureLatency: props.measureLatency ?? false,
      tags: { Name: `${props.hostname} ${HEALTH_PATH}` },
    });
    this.healthCheckId = this.healthCheck.id;
    // Route53 publishes health-check metrics in us-east-1 only: the stack's provider is there.
    new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: `skyline-endpoint-unhealthy-${props.regionName}`,
      alarmDescription: `Route53 health check of ${props.hostname}${HEALTH_PATH} is failing`,
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensions: { HealthCheckId: this.healthCheck.id },
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      // No data means the check itself is gone or broken: that is not "healthy".
      treatMissingData: 'breaching',
    });
  }
}
