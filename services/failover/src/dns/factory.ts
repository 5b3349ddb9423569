/** The DnsWeights adapter for dns.kind (route53 is the only DNS Skyline's records live in). */
import { Route53Client } from '@aws-sdk/client-route-53';
import type { Clock } from '../../../common/src/clock';
import type { Logger } from '../../../common/src/logger';
import type { FailoverConfig } from '../config';
import type { DnsWeights } from './dns-weights';
import { Route53Weights } from './route53-weights';

export interface DnsDependencies {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

export function createDnsWeights(config: FailoverConfig, dependencies: DnsDependencies): DnsWeights {
  const { dns } = config;
  switch (dns.kind) {
    case 'route53':
      return new Route53Weights({
        // Endpoint and credentials from the SDK's standard settings (AWS_ENDPOINT_URL_ROUTE_53, web identity...);
        // maxAttempts 1: retries are the adapter's, with the configured policy.
        client: new Route53Client({ region: dns.signingRegion, maxAttempts: 1 }),
        hostedZoneId: dns.hostedZoneId,
        domain: config.domain,
        retry: { attempts: config.retry.attempts, baseDelayMs: config.retry.baseDelaySeconds * 1000, maxDelayMs: config.retry.maxDelaySeconds * 1000 },
        insyncTimeoutMs: dns.insyncTimeoutSeconds * 1000,
        insyncPollMs: dns.insyncPollSeconds * 1000,
        clock: dependencies.clock,
        logger: dependencies.logger,
        signal: dependencies.signal,
      });
  }
}
